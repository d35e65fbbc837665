/** Tests: the lazy command registry and the statements-only list. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli.ts';
import { theorems } from '../../theorems/index.ts';
import { statements } from '../../theorems/registry.ts';

describe('the lazy command registry and the statements-only list', () => {
  it("each command's summary in the registry is its definition's", async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    }
  });
  it('theorems/registry.ts lists the statements of theorems/index.ts, in the same order', () => {
    expect(statements).toEqual(theorems.map((t) => t.statement));
  });
});
