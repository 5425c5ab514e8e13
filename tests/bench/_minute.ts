import { lessonsAtOnce } from './concurrent-bench';

const n = Number(process.env.N ?? 300);
const t0 = Date.now();
console.log(JSON.stringify(lessonsAtOnce({ lessons: n, faultRate: Number(process.env.F ?? 0) })));
console.log('wall', (Date.now() - t0) / 1000);
