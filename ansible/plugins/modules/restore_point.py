#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: restore_point
short_description: Make the restore point of a verified DR backup set at its site
version_added: 0.2.0
description:
  - A restore point is a point-in-time copy of the target site's whole volume, named after the backup set, made
    right after the set was verified there while the geo-replication session is still stopped. It is the step of
    the nightly cycle between C(verify) and C(retention), and retention later keeps or deletes it with its set.
  - The schedule file says how each target keeps its points (C(restore_points)); C(link-tree) writes a whole tree
    per point into a store at the site, hard-linking the files unchanged since the previous point;
    C(gluster-snapshot) takes a gluster snapshot where the bricks are thin LVM; C(none) keeps none, and the step
    then has nothing to do.
  - The point is read back before it counts, the set's own files against the manifest and the verification sample
    against the hashes the primary gave. A point that fails that, or cannot be made, fails the set, so that
    retention deletes nothing that night.
  - Runs C(glusterdr run --step restore-point [--set ID] [--target T] --json); check mode adds C(--plan). The step
    runs only once per set; running the task again changes nothing.
extends_documentation_fragment:
  - glusterdr.dr.glusterdr
attributes:
  check_mode:
    description: Check mode reports whether the step would run and changes nothing.
options:
  set:
    description:
      - The verified backup set, by its ID (its folder name, such as C(20261125T020000Z-sdsc)).
      - When unset, the newest unfinished set (of I(target), when given).
    type: str
  target:
    description: The schedule target whose newest unfinished set is meant, when I(set) is unset.
    type: str
seealso:
  - module: glusterdr.dr.backup_set
  - module: glusterdr.dr.retention
'''

EXAMPLES = r'''
- name: Make the restore point of tonight's set, after it was verified
  glusterdr.dr.restore_point:
    set: "{{ glusterdr_set.set }}"
  register: glusterdr_point

- name: Say what it cost
  ansible.builtin.debug:
    msg: "{{ glusterdr_point.restore_point.bytes_new }} bytes new at {{ glusterdr_point.restore_point.location }}"
  when: glusterdr_point.restore_point is not none
'''

RETURN = r'''
set:
  description: The set's ID.
  returned: always
  type: str
  sample: 20261125T020000Z-sdsc
target:
  description: The set's target.
  returned: always
  type: str
  sample: sdsc
status:
  description: The set's status after the step, C(verified) or C(failed); null in check mode when the set does not exist yet.
  returned: always
  type: str
  sample: verified
ran:
  description: The steps this task ran (none when the point was made already, and in check mode).
  returned: always
  type: list
  elements: str
  sample: [restore-point]
restore_point:
  description:
    - The point as the set records it, null when the target keeps none (or in check mode). C(bytes_new) is what the
      point added to the store; C(store_bytes) what all the target's points take together.
  returned: always
  type: dict
  sample: {"method": "link-tree", "node": "198.51.100.22", "location": "/srv/glusterdr/points/20261125T020000Z-sdsc",
           "files": 255, "bytes": 7373302, "bytes_new": 120412, "store_bytes": 7594486, "verification": {"verified": true}}
planned:
  description: In check mode, what the step would do and why.
  returned: check mode
  type: dict
  sample: {"action": "stepped", "set": "20261125T020000Z-sdsc", "steps": ["restore-point"], "why": "step restore-point is pending"}
cmd:
  description: The CLI invocation.
  returned: always
  type: list
  elements: str
  sample: [/usr/local/bin/glusterdr, run, --schedule, /etc/glusterdr/schedule.hcl, --json, --log-level, warn, --step, restore-point]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    Glusterdr, StepReport, glusterdr_argument_spec, set_args)

STEP = 'restore-point'


def result_of(report, params):
    """The module's result from `glusterdr run --step restore-point [--plan] --json`."""
    step = StepReport(report)
    result = step.result(params)
    result['restore_point'] = step.meta.get('restore_point')
    return result


def argument_spec():
    """The module's options; DOCUMENTATION describes each."""
    spec = glusterdr_argument_spec()
    spec.update(set=dict(type='str'), target=dict(type='str'))
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    cli = Glusterdr(module)
    args = ['--step', STEP] + set_args(params)
    if module.check_mode:
        args.append('--plan')
    res = cli.run(['run'], args, check=False)
    result = result_of(res.data, params)
    if not res.ok:
        cli.fail(res, **result)
    result['cmd'] = res.cmd
    module.exit_json(**result)


if __name__ == '__main__':
    main()
