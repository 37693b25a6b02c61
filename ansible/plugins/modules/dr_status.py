#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: dr_status
short_description: Facts about the DR sites, their verified copies, the RPO and the last runs
version_added: 0.1.0
description:
  - Sets the fact C(glusterdr_status) from C(glusterdr status --json), which reads the schedule and the run
    journal on the controller and needs no SSH, so it answers even when the primary is gone. It holds each
    target's newest verified set, the point in time that copy reflects, the RPO (the age of the newest
    verified copy), the last run, the next runs and target, and how many sites hold a verified copy.
  - With I(sets=true), also C(glusterdr_sets) from C(glusterdr sets --json), every backup set with its level,
    status, verification and size, read on the primary.
  - With I(sessions=true), also C(glusterdr_sessions), each target's geo-replication session as read (exists,
    state, worker status, host key pinning, config), from C(glusterdr session --plan).
  - It never changes anything.
extends_documentation_fragment:
  - glusterdr.dr.glusterdr
attributes:
  check_mode:
    description: The module only reads, in check mode as otherwise.
  facts:
    support: full
    description: Sets C(glusterdr_status); with I(sets), also C(glusterdr_sets); with I(sessions), also C(glusterdr_sessions).
options:
  sets:
    description: Also list the backup sets (reads the backup folder on the primary over SSH).
    type: bool
    default: false
  sessions:
    description: Also read each target's geo-replication session (over SSH to the primary and the sites).
    type: bool
    default: false
seealso:
  - module: glusterdr.dr.backup_set
'''

EXAMPLES = r'''
- name: Read the DR status
  glusterdr.dr.dr_status:
    sets: true

- name: Alert when no site holds a copy younger than a day and a half
  ansible.builtin.assert:
    that:
      - glusterdr_status.rpo_seconds is not none
      - glusterdr_status.rpo_seconds < 129600
    fail_msg: "RPO {{ glusterdr_status.rpo_seconds }}s; verified copies at {{ glusterdr_status.verified_copies }} site(s)"

- name: Compliance wants 3 geographically separate copies (the primary and two sites)
  ansible.builtin.debug:
    msg: "{{ glusterdr_status.verified_copies + 1 }} copies"
'''

RETURN = r'''
ansible_facts:
  description: The facts set.
  returned: always
  type: dict
  contains:
    glusterdr_status:
      description: C(glusterdr status --json).
      returned: always
      type: dict
      contains:
        updated:
          description: When the status was computed (UTC).
          type: str
        rotation:
          description: C(alternate) or C(all).
          type: str
        next_runs:
          description: The next scheduled runs (UTC).
          type: list
          elements: str
        next_target:
          description: The target the next run would choose.
          type: str
        targets:
          description: Per target, its secondary, its newest verified set and the RPO, and its last run.
          type: list
          elements: dict
        last_run:
          description: The newest journal entry.
          type: dict
        verified_copies:
          description: How many targets hold a verified copy.
          type: int
        rpo_seconds:
          description: Age of the newest verified copy at any target; null without one.
          type: float
      sample: {"rotation": "alternate", "next_target": "tacc", "verified_copies": 1, "rpo_seconds": 412.5, "targets": []}
    glusterdr_sets:
      description: C(glusterdr sets --json), with I(sets=true).
      returned: when I(sets=true)
      type: dict
      sample: {"sets": [{"id": "20261125T020000Z-sdsc", "status": "verified", "verified": true}], "unreadable": []}
    glusterdr_sessions:
      description: Per target name, its session as read, with I(sessions=true).
      returned: when I(sessions=true)
      type: dict
      sample: {"sdsc": {"exists": true, "state": "stopped", "status": "stopped", "pinned": true},
               "tacc": {"exists": false, "error": "reading the secondary volume, to pin its nodes' host keys: ..."}}
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    Glusterdr, glusterdr_argument_spec)


def argument_spec():
    """The module's options; DOCUMENTATION describes each."""
    spec = glusterdr_argument_spec()
    spec.update(
        sets=dict(type='bool', default=False),
        sessions=dict(type='bool', default=False),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    cli = Glusterdr(module)
    status = cli.run(['status']).data
    facts = dict(glusterdr_status=status)
    if module.params['sets']:
        facts['glusterdr_sets'] = cli.run(['sets']).data
    if module.params['sessions']:
        sessions = {}
        for t in status.get('targets') or []:
            res = cli.run(['session'], ['--target', t['name'], '--state', 'present', '--plan'], check=False)
            report = res.data if isinstance(res.data, dict) else {}
            view = dict(report.get('before') or {})
            if not res.ok:
                # A site that cannot be read is a fact too, not a failure.
                view['error'] = res.error()
            sessions[t['name']] = view
        facts['glusterdr_sessions'] = sessions
    module.exit_json(changed=False, ansible_facts=facts)


if __name__ == '__main__':
    main()
