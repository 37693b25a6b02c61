#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: retention
short_description: Plan or apply the DR schedule's retention over its backup sets
version_added: 0.1.0
description:
  - Computes which backup sets to keep, promote and delete under the schedule's policy, a rolling stack of
    N daily sets, M weeklies promoted from the newest good daily every N-th cycle, optional monthlies, and
    optional full and incremental chains.
  - The engine never deletes a target's newest verified set, a full that a kept incremental needs, a set still
    at work, or a set whose C(set.json) it cannot read.
  - I(state=planned) only reports the plan (C(glusterdr retention --json)) and never changes anything.
  - I(state=applied) records the promotions and deletes what the plan says, under the schedule's run lock
    (C(glusterdr retention --apply --json)). With I(set) it runs the retention step of that backup set instead
    (C(glusterdr run --step retention --set ID --json)), which the engine records in the set and allows only
    once the set is verified, so that a failed night never deletes anything.
extends_documentation_fragment:
  - glusterdr.dr.glusterdr
attributes:
  check_mode:
    description: Check mode reports the plan and whether applying it would change anything.
options:
  state:
    description: C(applied) carries the plan out; C(planned) only reports it.
    type: str
    choices: [planned, applied]
    default: applied
  set:
    description:
      - With I(state=applied), the verified backup set whose retention step this is, as in the nightly cycle.
    type: str
seealso:
  - module: glusterdr.dr.backup_set
'''

EXAMPLES = r'''
- name: Show what retention would delete
  glusterdr.dr.retention:
    state: planned
  register: glusterdr_retention

- name: Apply it
  glusterdr.dr.retention:
    state: applied
  when: glusterdr_retention.delete | length > 0

- name: The nightly's retention step, after the set was verified
  glusterdr.dr.retention:
    state: applied
    set: 20261125T020000Z-sdsc
'''

RETURN = r'''
applied:
  description: Whether the plan was carried out (false with I(state=planned) and in check mode).
  returned: always
  type: bool
  sample: true
policy:
  description: The schedule's retention policy.
  returned: always
  type: dict
  sample: {"daily": 7, "weekly": 5, "monthly": 0, "full_every": 0}
keep:
  description: The sets kept, each with its ID, target, time, tier and the reason.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "20261125T020000Z-sdsc", "target": "sdsc", "tier": "daily", "reason": "within the 7 newest dailies"}]
promote:
  description: The sets promoted to a longer tier (to be, with I(state=planned)).
  returned: always
  type: list
  elements: dict
  sample: []
delete:
  description: The sets the plan deletes.
  returned: always
  type: list
  elements: dict
  sample: []
deleted:
  description: The IDs of the sets removed.
  returned: always
  type: list
  elements: str
  sample: []
unreadable:
  description: Sets whose C(set.json) cannot be read; never touched, an operator decides.
  returned: always
  type: list
  elements: dict
  sample: []
set:
  description: The backup set whose retention step ran, with I(set).
  returned: when I(set) was given
  type: str
  sample: 20261125T020000Z-sdsc
cmd:
  description: The CLI invocation.
  returned: always
  type: list
  elements: str
  sample: [/usr/local/bin/glusterdr, retention, --schedule, /etc/glusterdr/schedule.hcl, --json, --log-level, warn, --apply]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    Glusterdr, glusterdr_argument_spec)


def from_report(r):
    """The module's result from a retention report."""
    r = r or {}
    return dict(
        applied=bool(r.get('applied')),
        policy=r.get('policy') or {},
        keep=r.get('keep') or [],
        promote=r.get('promote') or [],
        delete=r.get('delete') or [],
        deleted=r.get('deleted') or [],
        unreadable=r.get('unreadable') or [],
    )


def would_change(result):
    return bool(result['promote'] or result['delete'])


def set_step_planned(cli, set_id):
    """Check mode with a set: whether its retention step would run, as the
    engine plans it, after the set's earlier steps if they are still to run
    (or the set not opened yet)."""
    res = cli.run(['run'], ['--step', 'retention', '--set', set_id, '--plan'])
    return bool(res.data.get('changed'))


def argument_spec():
    """The module's options; DOCUMENTATION describes each."""
    spec = glusterdr_argument_spec()
    spec.update(
        state=dict(type='str', default='applied', choices=['planned', 'applied']),
        set=dict(type='str'),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    if params.get('set') and params['state'] != 'applied':
        module.fail_json(msg='set goes with state=applied: it runs the retention step of that set')
    cli = Glusterdr(module)

    if params['state'] == 'planned' or module.check_mode:
        res = cli.run(['retention'])
        result = from_report(res.data)
        if params['state'] == 'planned':
            result['changed'] = False
        elif params.get('set'):
            result['changed'] = set_step_planned(cli, params['set'])
            result['set'] = params['set']
        else:
            result['changed'] = would_change(result)
        result['cmd'] = res.cmd
        module.exit_json(**result)

    if params.get('set'):
        res = cli.run(['run'], ['--step', 'retention', '--set', params['set']], check=False)
        if not res.ok:
            cli.fail(res, **from_report((res.data or {}).get('retention')))
        result = from_report(res.data.get('retention'))
        result['changed'] = bool(res.data.get('changed'))
        result['set'] = params['set']
    else:
        res = cli.run(['retention'], ['--apply'], check=False)
        if not res.ok:
            cli.fail(res, **from_report(res.data if isinstance(res.data, dict) else None))
        result = from_report(res.data)
        result['changed'] = bool(result['deleted'] or result['promote'])
    result['cmd'] = res.cmd
    module.exit_json(**result)


if __name__ == '__main__':
    main()
