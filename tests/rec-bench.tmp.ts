import { purgeBench } from './bench/purge-bench';
const t = Date.now();
console.log(purgeBench(Number(process.argv[2] ?? 10000), Number(process.argv[3] ?? 1000)), Date.now() - t, 'ms');
