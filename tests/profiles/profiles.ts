// The five policies' settings profiles (R25): each is what SLT would type into the Settings
// sheet for that policy. A deployed test school adds its own domain and people.

import { POLICY_000 } from './policy-000';
import { POLICY_001 } from './policy-001';
import { POLICY_002 } from './policy-002';
import { POLICY_003 } from './policy-003';
import { POLICY_004 } from './policy-004';

export const PROFILES: Record<'000' | '001' | '002' | '003' | '004', Record<string, string>> = {
  '000': POLICY_000,
  '001': POLICY_001,
  '002': POLICY_002,
  '003': POLICY_003,
  '004': POLICY_004,
};
