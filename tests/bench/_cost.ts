import { idleTick, standardLessonCost } from './lesson-cost';

const c = standardLessonCost();
console.log(JSON.stringify(c, null, 1));
console.log(JSON.stringify(idleTick()));
