import { describe, expect, it } from 'vitest';
import { checkPassword, passwordProblem } from './passwords.ts';

describe('password rules (NIST 800-63B)', () => {
  it('wants at least 12 characters, counted as code points', () => {
    expect(passwordProblem('eleven chrs')).toMatch(/at least 12/);
    expect(passwordProblem('twelve chars')).toBeNull();
    // Twelve emoji are 24 UTF-16 units but twelve characters; eleven are too few.
    expect(passwordProblem('🦊🐢🐙🦉🐝🦋🐳🦒🐘🦔🐧🦜')).toBeNull();
    expect(passwordProblem('🦊🐢🐙🦉🐝🦋🐳🦒🐘🦔🐧')).toMatch(/at least 12/);
  });

  it('refuses more than 256 characters', () => {
    expect(passwordProblem('x'.repeat(256))).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/);
  });

  it('refuses a common password whatever its case, and asks for no digits or capitals', () => {
    expect(passwordProblem('123456qwerty')).toMatch(/commonly used/);
    expect(passwordProblem('LeaveMeAlone')).toMatch(/commonly used/);
    expect(passwordProblem('correct horse battery')).toBeNull();
    expect(() => checkPassword('short')).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });
});
