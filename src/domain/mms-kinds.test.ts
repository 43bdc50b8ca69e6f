import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CREDIT_UPLOAD_MMS_KINDS, MMS_KINDS, needsCreditUpload } from './mms-kinds.ts';

describe('MMS kinds', () => {
  it('are the values the firms.mms_kind CHECK allows', () => {
    const migration = readFileSync(new URL('../../sql/migrations/0001_init.sql', import.meta.url), 'utf8');
    const check = /mms_kind in \(([^)]*)\)/.exec(migration)?.[1] ?? '';
    expect(check.split(',').map((v) => v.trim().replace(/'/g, ''))).toEqual([...MMS_KINDS]);
  });

  it('need a credit upload for exactly Elite Enterprise, ProLaw and Aderant', () => {
    expect(MMS_KINDS.filter(needsCreditUpload)).toEqual(['elite_enterprise', 'prolaw', 'aderant']);
    expect(CREDIT_UPLOAD_MMS_KINDS.every((k) => MMS_KINDS.includes(k))).toBe(true);
  });
});
