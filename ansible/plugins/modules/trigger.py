#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: trigger
short_description: Install or remove the trigger that runs the nightly DR cycle on the controller
version_added: 0.2.0
description:
  - The trigger starts the nightly cycle of the schedule on the DR controller, the host the task runs on. It is a
    systemd timer and service where systemd is PID 1, and the cron entry C(/etc/cron.d/glusterdr) elsewhere. It runs
    the collection's nightly playbook when C(glusterdr.dr) is installed there, and the CLI otherwise.
  - It is exactly the trigger that the C(dr_schedule) Terraform resource installs for the same schedule, for a
    platform that does not use Terraform.
  - The trigger bounds each night. The service's C(TimeoutStartSec) and the cron entry's C(timeout) send SIGTERM a
    few minutes after the schedule's C(run_timeout), which is the engine's own deadline, and SIGKILL later.
  - I(state=present) runs C(glusterdr schedule install), which writes nothing when the installed trigger is the one
    wanted already. I(state=absent) runs C(glusterdr schedule remove), which refuses another schedule's trigger.
    Check mode adds C(--plan).
  - The reasons the trigger may not run as meant (no cron daemon, a cron that reads the fields in another time
    zone, no CLI where the trigger expects it) come as warnings.
extends_documentation_fragment:
  - glusterdr.dr.glusterdr
attributes:
  check_mode:
    description: Check mode reports whether the trigger would change, and changes nothing.
options:
  state:
    description: Whether the schedule's trigger is installed.
    type: str
    choices: [present, absent]
    default: present
  kind:
    description:
      - The trigger's kind. When unset, the installed trigger's kind, else C(systemd) where systemd runs, else
        C(cron). C(systemd) on a host without systemd fails and changes nothing.
    type: str
    choices: [systemd, cron]
  runner:
    description:
      - What the trigger runs. When unset, the installed trigger's runner, else C(playbook) where the collection
        C(glusterdr.dr) is installed, else C(glusterdr).
    type: str
    choices: [playbook, glusterdr]
  glusterdr_path:
    description:
      - The CLI the trigger runs, an absolute path. When unset, the CLI this module calls (I(binary)).
    type: path
seealso:
  - module: glusterdr.dr.backup_set
  - module: glusterdr.dr.dr_status
'''

EXAMPLES = r'''
- name: Install the nightly trigger of /etc/glusterdr/schedule.hcl
  glusterdr.dr.trigger:
    state: present

- name: A cron entry that runs the CLI itself
  glusterdr.dr.trigger:
    kind: cron
    runner: glusterdr

- name: Take it away
  glusterdr.dr.trigger:
    state: absent
'''

RETURN = r'''
installed:
  description: The trigger found before the task; null when there was none.
  returned: always
  type: dict
  sample:
    kind: cron
    runner: glusterdr
    glusterdr: /usr/local/bin/glusterdr
    schedule: /etc/glusterdr/schedule.hcl
    files: [/etc/cron.d/glusterdr]
    job: timeout -k 180s 18300s /usr/local/bin/glusterdr run --schedule /etc/glusterdr/schedule.hcl
    sha256: 5f2c0c8e1d3b9a4f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f
wanted:
  description:
    - With I(state=present), the trigger the schedule calls for, with what it runs, its files, the engine's
      deadline (C(run_timeout_seconds)) and the trigger's own (C(timeout_seconds), SIGKILL C(kill_after_seconds)
      later).
  returned: with I(state=present)
  type: dict
  sample:
    kind: cron
    runner: glusterdr
    command: [/usr/local/bin/glusterdr, run, --schedule, /etc/glusterdr/schedule.hcl]
    files: [/etc/cron.d/glusterdr]
    run_timeout_seconds: 18000
    timeout_seconds: 18300
    kill_after_seconds: 180
    sha256: 5f2c0c8e1d3b9a4f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f
in_sync:
  description: Whether the installed trigger is the wanted one, after the task (before it, in check mode).
  returned: always
  type: bool
  sample: true
next_runs:
  description: The schedule's next 3 runs (RFC 3339).
  returned: with I(state=present)
  type: list
  elements: str
  sample: ["2026-11-26T02:00:00Z", "2026-11-27T02:00:00Z", "2026-11-28T02:00:00Z"]
cmd:
  description: The CLI invocation.
  returned: always
  type: list
  elements: str
  sample: [/usr/local/bin/glusterdr, schedule, install, --schedule, /etc/glusterdr/schedule.hcl, --json, --log-level, warn]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    Glusterdr, glusterdr_argument_spec)


def build_args(params, binary, check_mode):
    """The arguments of `glusterdr schedule install|remove`."""
    args = []
    if params['state'] == 'present':
        if params.get('kind'):
            args += ['--trigger', params['kind']]
        if params.get('runner'):
            args += ['--runner', params['runner']]
        args += ['--glusterdr', params.get('glusterdr_path') or binary]
    if check_mode:
        args.append('--plan')
    return args


def translate(report):
    """The module's result from the CLI's report."""
    result = dict(
        changed=bool(report.get('changed')),
        installed=report.get('installed'),
        in_sync=bool(report.get('in_sync')),
    )
    if report.get('action') == 'install':
        result.update(wanted=report.get('wanted'), next_runs=report.get('next_runs') or [])
    return result


def argument_spec():
    """The module's options; DOCUMENTATION describes each."""
    spec = glusterdr_argument_spec()
    spec.update(
        state=dict(type='str', default='present', choices=['present', 'absent']),
        kind=dict(type='str', choices=['systemd', 'cron']),
        runner=dict(type='str', choices=['playbook', 'glusterdr']),
        glusterdr_path=dict(type='path'),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    if params['state'] == 'absent' and (params.get('kind') or params.get('runner') or params.get('glusterdr_path')):
        module.fail_json(msg='kind, runner and glusterdr_path go with state=present')
    cli = Glusterdr(module)
    command = ['schedule', 'install' if params['state'] == 'present' else 'remove']
    res = cli.run(command, build_args(params, cli.binary, module.check_mode))
    result = translate(res.data)
    for warning in res.data.get('warnings') or []:
        module.warn(warning)
    result['cmd'] = res.cmd
    module.exit_json(**result)


if __name__ == '__main__':
    main()
