#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: backup_set
short_description: Open, fill, replicate, verify or record a DR backup set, one step at a time
version_added: 0.1.0
description:
  - A backup set is the folder C(<backup_dir>/<UTC timestamp>-<target>/) on the primary's global volume, with its
    C(set.json) recording the state of each step of the nightly cycle, C(open), C(fill), C(replicate), C(verify),
    C(retention) and C(record).
  - I(state) names the step this task takes the set through. The module runs that one step, and only when the
    set has not done it yet, so that re-running a task changes nothing and a failed step can be run again.
  - C(opened) makes a new set for I(target) (or for the target the schedule's rotation chooses tonight).
  - C(filled) puts the provisioning state, the etcd snapshot (hash-checked), the cluster dump and a
    C(manifest.json) with the sha256 and size of every file into the set.
  - C(replicated) runs one geo-replication checkpoint cycle to the set's target and records it.
  - C(verified) reads the set back at the target through the secondary volume and compares every manifest hash,
    a random sample of volume files, and the etcd snapshot. With I(recheck=true) it verifies the set again
    without changing anything (C(glusterdr verify)), and fails when the copy is not what was sent.
  - C(recorded) appends the run journal and writes the status and metrics. It runs after a failed step too, so
    that the failure is on record.
  - Retention, a step between C(verified) and C(recorded), is M(glusterdr.dr.retention) with I(set).
  - The engine refuses a step whose earlier steps are not done, and names them.
  - Runs C(glusterdr run --step S [--set ID] [--target T] [--resume] --json); check mode adds C(--plan). The
    module only translates; which set a step works on, and what it needs first, the engine decides.
extends_documentation_fragment:
  - glusterdr.dr.glusterdr
attributes:
  check_mode:
    description:
      - Check mode reports what the step would do and changes nothing.
      - A set that the open step only planned (check mode) does not exist, and the earlier steps of a set were
        only planned; the engine then reports what the step would do after them (C(planned.after)).
options:
  state:
    description: The step the set is taken through.
    type: str
    required: true
    choices: [opened, filled, replicated, verified, recorded]
  set:
    description:
      - The backup set, by its ID (its folder name, such as C(20261125T020000Z-sdsc)).
      - With I(state=opened), a set that exists already is left alone.
      - When unset, C(opened) makes a new set, and the other states work on the newest unfinished set of
        I(target) (of any target when I(target) is unset).
    type: str
  target:
    description:
      - The schedule target. With I(state=opened), the target of the new set instead of the schedule's choice.
    type: str
  resume:
    description:
      - With I(state=opened) and no I(set), carry on with a set that an interrupted run left (of I(target), or
        of any target), when the engine would resume it (it is pending and within the resume window), instead
        of opening a new one. The later steps then pick up where it stopped.
    type: bool
    default: false
  recheck:
    description:
      - With I(state=verified), verify the newest replicated set (or I(set)) at its target again, changing
        nothing. The module fails when the copy differs.
    type: bool
    default: false
seealso:
  - module: glusterdr.dr.retention
  - module: glusterdr.dr.dr_status
'''

EXAMPLES = r'''
- name: Open tonight's backup set
  glusterdr.dr.backup_set:
    state: opened
  register: glusterdr_set

- name: Or carry on with the set an interrupted run left, if there is one
  glusterdr.dr.backup_set:
    state: opened
    target: sdsc
    resume: true
  register: glusterdr_set

- name: Fill it with the provisioning state, the etcd snapshot and the cluster dump
  glusterdr.dr.backup_set:
    state: filled
    set: "{{ glusterdr_set.set }}"

- name: Replicate it and verify it at its target
  glusterdr.dr.backup_set:
    state: "{{ item }}"
    set: "{{ glusterdr_set.set }}"
  loop: [replicated, verified]

- name: Check again that SDSC still holds the newest replicated set, changing nothing
  glusterdr.dr.backup_set:
    state: verified
    target: sdsc
    recheck: true
'''

RETURN = r'''
set:
  description: The set's ID. In check mode with I(state=opened), the ID the new set would get.
  returned: always
  type: str
  sample: 20261125T020000Z-sdsc
target:
  description: The set's target.
  returned: always
  type: str
  sample: sdsc
status:
  description: The set's status after the step, C(pending), C(verified) or C(failed); null in check mode.
  returned: always
  type: str
  sample: pending
resumed:
  description: With I(resume), whether an interrupted set was taken up instead of opening a new one.
  returned: with I(state=opened)
  type: bool
  sample: false
ran:
  description: The steps this task ran (none when the step was done already, and in check mode).
  returned: always
  type: list
  elements: str
  sample: [fill]
planned:
  description:
    - In check mode, what the step would do and why, as the engine plans it.
    - I(after) lists the steps before it that the set has still to run first.
  returned: check mode
  type: dict
  sample: {"action": "stepped", "set": "20261125T020000Z-sdsc", "target": "sdsc", "steps": ["verify"],
           "after": ["fill", "replicate"], "why": "step verify would run after fill, replicate, which the set has still to run"}
verified:
  description: Whether the set (or, with I(recheck), the copy read back now) is verified.
  returned: always
  type: bool
  sample: false
info:
  description: The set's C(set.json) after the step, with every step's state and timing, its contents, the replication and the verification.
  returned: when the set exists
  type: dict
  sample: {"id": "20261125T020000Z-sdsc", "status": "pending", "steps": [{"name": "open", "state": "done"}]}
verification:
  description: What reading the set back at the target found, with I(recheck) or I(state=verified).
  returned: when the set was verified
  type: dict
  sample: {"verified": true, "entries": 12, "errors": 0, "warnings": 0, "mismatches": []}
cmd:
  description: The CLI invocation.
  returned: always
  type: list
  elements: str
  sample: [/usr/local/bin/glusterdr, run, --schedule, /etc/glusterdr/schedule.hcl, --json, --log-level, warn, --step, fill, --set, 20261125T020000Z-sdsc]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    Glusterdr, StepReport, glusterdr_argument_spec, set_args)

# The step each state takes a set through. The order of the steps, and what
# a step needs before it, are the engine's business.
STATES = dict(opened='open', filled='fill', replicated='replicate', verified='verify', recorded='record')


def run_args(step, params, check_mode):
    """The arguments of `glusterdr run` for the step."""
    args = ['--step', step] + set_args(params)
    if step == 'open' and params['resume'] and not params.get('set'):
        args.append('--resume')
    if check_mode:
        args.append('--plan')
    return args


def translate(report, params):
    """The module's result from `glusterdr run --step S [--plan] --json`."""
    step = StepReport(report)
    result = step.result(params)
    result.update(resumed=step.action == 'resumed', verified=step.meta.get('status') == 'verified')
    if step.meta:
        result['info'] = step.meta
    if step.meta.get('verification'):
        result['verification'] = step.meta['verification']
    return result


def recheck(cli, params):
    """`glusterdr verify`: verify again, change nothing."""
    res = cli.run(['verify'], set_args(params), check=False)
    data = res.data if isinstance(res.data, dict) else {}
    if not res.ok:
        cli.fail(res, set=data.get('set'), target=data.get('target'), verified=False,
                 verification=data.get('verification'))
    return dict(changed=False, set=data.get('set'), target=data.get('target'), status=None, ran=[],
                verified=bool(data.get('verified')), verification=data.get('verification'), cmd=res.cmd)


def argument_spec():
    """The module's options; DOCUMENTATION describes each."""
    spec = glusterdr_argument_spec()
    spec.update(
        state=dict(type='str', required=True, choices=sorted(STATES)),
        set=dict(type='str'),
        target=dict(type='str'),
        resume=dict(type='bool', default=False),
        recheck=dict(type='bool', default=False),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    if params['recheck'] and params['state'] != 'verified':
        module.fail_json(msg='recheck goes with state=verified')
    cli = Glusterdr(module)
    step = STATES[params['state']]

    if params['recheck']:
        module.exit_json(**recheck(cli, params))

    res = cli.run(['run'], run_args(step, params, module.check_mode), check=False)
    if not res.ok:
        partial = translate(res.data, params) if isinstance(res.data, dict) and not module.check_mode else {}
        cli.fail(res, **partial)
    result = translate(res.data, params)
    if step != 'open':
        result.pop('resumed')
    result['cmd'] = res.cmd
    module.exit_json(**result)


if __name__ == '__main__':
    main()
