// Lesson ids: short, unique, readable in a log ("L-20261123-k3x9"), and safe in a
// Calendar private property, a Drive file name and a sheet cell.

import { localDate } from './time';

export function lessonId(start: number, timeZone: string, random: () => number): string {
  const day = localDate(start, timeZone).replace(/-/g, '');
  let suffix = '';
  for (let i = 0; i < 6; i++)
    suffix += 'abcdefghjkmnpqrstuvwxyz23456789'[Math.floor(random() * 31)];
  return `L-${day}-${suffix}`;
}

export function isLessonId(value: string): boolean {
  return /^L-\d{8}-[a-z0-9]{6}$/.test(value);
}
