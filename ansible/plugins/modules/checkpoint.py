#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: checkpoint
short_description: Replicate a DR target up to now with one geo-replication checkpoint, and wait for it
version_added: 0.1.0
description:
  - Runs one checkpoint cycle of the geo-replication session to a target of the DR schedule, in the order
    that works on GlusterFS 10, C(config checkpoint now), stop the session, write a marker at the root of the
    primary mount a second after the checkpoint (an idle volume never completes a checkpoint otherwise), wait
    for the marker's changelog to close, start, wait until every Active worker completed the checkpoint and
    none is Faulty, then stop.
  - When the primary volume's C(changelog.rollover-time) is over 15 seconds, the cycle does not wait for the
    marker's changelog but closes it with C(gluster volume barrier) enable and disable, which holds writes
    to the primary volume for a second or two.
  - A session that makes no progress is stopped and started once. The cycle fails after I(timeout), and sooner
    when the workers never leave C(Created) or one stays C(Faulty); the session is stopped in every case and
    the result still carries the per-worker status and the pending counts.
  - It takes the schedule's run lock, so it never runs while the nightly does.
  - This replicates, it does not back up. The nightly's replicate step is M(glusterdr.dr.backup_set) with
    I(state=replicated), which records the cycle in the backup set.
  - Runs C(glusterdr checkpoint --target T [--timeout D] --json); check mode adds C(--plan), which only reads
    the session's status.
extends_documentation_fragment:
  - glusterdr.dr.glusterdr
attributes:
  check_mode:
    description: Check mode reads the session's status and reports that a cycle would run (changed).
options:
  target:
    description: Name of the target in the schedule, such as C(sdsc).
    type: str
    required: true
  timeout:
    description:
      - How long to wait for the checkpoint, as a Go duration such as C(45m) or C(2h). The CLI reads it, and a
        value it cannot read fails the task with its message, naming C(--timeout).
      - When unset, the schedule's C(checkpoint_timeout).
    type: str
seealso:
  - module: glusterdr.dr.georep_session
  - module: glusterdr.dr.backup_set
'''

EXAMPLES = r'''
- name: Bring TACC's copy of the global volume up to now
  glusterdr.dr.checkpoint:
    target: tacc
    timeout: 2h
  register: glusterdr_checkpoint

- name: Show how the workers did
  ansible.builtin.debug:
    msg: >-
      checkpoint {{ glusterdr_checkpoint.checkpoint_time }} completed at {{ glusterdr_checkpoint.completed_at }}
      in {{ glusterdr_checkpoint.seconds | round(1) }}s
'''

RETURN = r'''
session:
  description: The session, as C(primary_volume -> secondary_host::secondary_volume).
  returned: always
  type: str
  sample: global -> 198.51.100.21::global-dr
completed:
  description: Whether every Active worker completed the checkpoint with none Faulty. False in check mode.
  returned: always
  type: bool
  sample: true
checkpoint_time:
  description: The checkpoint the cycle set (gluster's clock, UTC, RFC 3339); null in check mode.
  returned: always
  type: str
  sample: '2026-11-25T19:05:29Z'
completed_at:
  description: Gluster's checkpoint completion time, the latest over the Active workers.
  returned: always
  type: str
  sample: '2026-11-25T19:05:41Z'
seconds:
  description: The cycle's wall time, from the stop before the checkpoint to the completion being noticed.
  returned: always
  type: float
  sample: 14.3
restarts:
  description: How many times a stalled session was stopped and started (0 or 1).
  returned: always
  type: int
  sample: 0
status:
  description: The session's rollup in the last status read, such as C(up) or C(stopped).
  returned: always
  type: str
  sample: up
pending:
  description: The pending entry, data and meta counts and the failures, summed over the workers, in the last status read.
  returned: always
  type: dict
  sample: {"entry": 0, "data": 0, "meta": 0, "failures": 0}
workers_done:
  description: Active workers that completed the checkpoint.
  returned: always
  type: int
  sample: 1
workers_active:
  description: Active workers.
  returned: always
  type: int
  sample: 1
workers:
  description: Per-worker status, crawl status, pending counts, last synced time and checkpoint.
  returned: always
  type: list
  elements: dict
  sample: [{"primary_node": "198.51.100.10", "brick": "/bricks/global", "status": "Active", "entry": 0, "data": 0,
            "meta": 0, "failures": 0, "checkpoint_completed": true, "checkpoint_time": "2026-11-25T19:05:29Z"}]
failure_kind:
  description: C(timeout), C(faulty) or C(not_started) when the wait failed.
  returned: failure
  type: str
  sample: timeout
cmd:
  description: The CLI invocation.
  returned: always
  type: list
  elements: str
  sample: [/usr/local/bin/glusterdr, checkpoint, --schedule, /etc/glusterdr/schedule.hcl, --json, --log-level, warn, --target, tacc]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    Glusterdr, glusterdr_argument_spec)

FIELDS = ('session', 'completed', 'checkpoint_time', 'completed_at', 'noticed_at', 'seconds', 'restarts', 'polls',
          'status', 'pending', 'workers_done', 'workers_active', 'workers', 'timeout_seconds')


def build_args(params, check_mode):
    args = ['--target', params['target']]
    if params.get('timeout'):
        args += ['--timeout', params['timeout']]
    if check_mode:
        args.append('--plan')
    return args


def translate(report):
    result = dict((k, report.get(k)) for k in FIELDS)
    result['changed'] = bool(report.get('changed'))
    result['workers'] = result['workers'] or []
    result['pending'] = result['pending'] or {}
    if report.get('failure_kind'):
        result['failure_kind'] = report['failure_kind']
    return result


def argument_spec():
    """The module's options; DOCUMENTATION describes each."""
    spec = glusterdr_argument_spec()
    spec.update(
        target=dict(type='str', required=True),
        timeout=dict(type='str'),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    cli = Glusterdr(module)
    res = cli.run(['checkpoint'], build_args(module.params, module.check_mode), check=False)
    if not res.ok:
        extra = translate(res.data) if isinstance(res.data, dict) else {}
        extra.pop('changed', None)
        # A cycle that set its checkpoint changed the session even though it failed.
        cli.fail(res, changed=bool(isinstance(res.data, dict) and res.data.get('changed')), **extra)
    result = translate(res.data)
    result['cmd'] = res.cmd
    module.exit_json(**result)


if __name__ == '__main__':
    main()
