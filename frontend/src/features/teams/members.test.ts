import { describe, expect, it } from 'vitest';

import { assignableRoles, canManage, canRemove } from './members';

describe('what the settings page offers', () => {
  it('offers role changes only to those who manage the team', () => {
    expect(canManage('owner')).toBe(true);
    expect(canManage('admin')).toBe(true);
    expect(assignableRoles('member', 'viewer', 1)).toEqual([]);
    expect(assignableRoles('viewer', 'member', 1)).toEqual([]);
  });

  it('lets only owners touch owners, and never the last one', () => {
    expect(assignableRoles('admin', 'member', 1)).toEqual(['admin', 'member', 'viewer']);
    expect(assignableRoles('owner', 'member', 1)).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(assignableRoles('admin', 'owner', 2)).toEqual([]);
    expect(assignableRoles('owner', 'owner', 1)).toEqual([]);
    expect(assignableRoles('owner', 'owner', 2)).toEqual(['owner', 'admin', 'member', 'viewer']);
  });

  it('lets anyone leave but the last owner, and managers remove others', () => {
    expect(canRemove('viewer', 'viewer', 1, true)).toBe(true);
    expect(canRemove('owner', 'owner', 1, true)).toBe(false);
    expect(canRemove('member', 'viewer', 1, false)).toBe(false);
    expect(canRemove('admin', 'member', 1, false)).toBe(true);
    expect(canRemove('admin', 'owner', 2, false)).toBe(false);
    expect(canRemove('owner', 'owner', 2, false)).toBe(true);
  });
});
