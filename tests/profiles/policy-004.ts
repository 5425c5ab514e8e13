// Kenilworth Primary School, Online Safety Policy: its Appendix L is the video conferencing
// policy (000), and it adds who may see images and how long they are kept.

import { POLICY_000 } from './policy-000';

export const POLICY_004: Record<string, string> = {
  ...POLICY_000,
  // "Rights of access to stored images are restricted to approved staff as determined by the
  // headteacher. ... these will be transferred/deleted promptly." Appendix L: "saved for up to
  // 30 days". Deleted for good, not left in a trash.
  retentionDays: '30',
  purgeMode: 'delete',
  // "The named online safety co-ordinator in this school is Fiona Ajose" (the head teacher):
  // told when the product's own plumbing breaks.
  adminEmails: 'head@kenilworth.sch.uk',
};
