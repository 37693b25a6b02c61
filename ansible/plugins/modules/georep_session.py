#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: georep_session
short_description: Declare the geo-replication session of a DR schedule target
version_added: 0.1.0
description:
  - Brings the GlusterFS geo-replication session from the primary volume to one target of the DR schedule to
    the declared I(state), with the declared gsyncd I(config), and changes nothing that already is.
  - A missing session is created the way that works on GlusterFS 10, C(gsec_create), C(create push-pem), a
    wait until the keys reached the secondary, C(ssh_port), then the secondary nodes' host keys pinned for
    gsyncd so that it checks them strictly, then the config. It is left stopped unless I(state) says otherwise.
  - The running state is checked by reading the session's status, not trusted from the CLI's exit code.
  - Runs C(glusterdr session --target T --state S [--config key=value ...] --json); check mode adds C(--plan).
extends_documentation_fragment:
  - glusterdr.dr.glusterdr
attributes:
  check_mode:
    description: Check mode reports the changes the CLI plans (C(--plan)) and makes none.
  diff_mode:
    support: full
    description: The diff shows the session's existence, state, host key pinning and config before and after.
options:
  target:
    description:
      - Name of the target in the schedule, such as C(sdsc). The session runs from the target's primary volume
        to its C(secondary_host::secondary_volume), on the target's C(ssh_port).
    type: str
    required: true
  state:
    description:
      - C(present) makes sure the session exists and leaves its running state alone (the nightly starts and
        stops it).
      - C(started), C(stopped) and C(paused) make sure it exists and is in that state.
      - C(absent) stops and deletes it and removes its pinned host keys.
    type: str
    choices: [present, started, stopped, paused, absent]
    default: present
  config:
    description:
      - gsyncd config values to enforce. Options left unset are not touched.
      - C(ssh_port) comes from the schedule's target, C(ssh_options) from the host key pinning, and the
        checkpoint from M(glusterdr.dr.checkpoint).
    type: dict
    suboptions:
      sync_method:
        description:
          - How gsyncd copies file data. Gluster's default is C(rsync).
          - Use C(tarssh) on Debian 12, whose rsync 3.5.0 makes gsyncd deliver empty files while the
            checkpoint still completes.
        type: str
        choices: [rsync, tarssh]
      sync_jobs:
        description: Parallel sync jobs per worker. Gluster's default is C(3).
        type: int
      ignore_deletes:
        description: Keep at the secondary the files deleted at the primary. Gluster's default is C(false).
        type: bool
      use_meta_volume:
        description:
          - Elect the Active worker of each replica set through the shared meta volume, which must exist.
            Gluster's default is C(false).
        type: bool
      rsync_options:
        description: Extra options for rsync, such as C(--bwlimit=10000).
        type: str
      connection_timeout:
        description: Seconds a worker waits for its connection to the secondary. Gluster's default is C(60).
        type: int
      secondary_timeout:
        description: Seconds of silence after which the secondary's gsyncd gives up. Gluster's default is C(120).
        type: int
      log_level:
        description: gsyncd's log level. Gluster's default is C(INFO).
        type: str
        choices: [ERROR, WARNING, INFO, DEBUG]
  tar_blocking_factor:
    description:
      - Record size, in blocks of 512 bytes, of the C(tar) that writes the files on the secondary nodes when
        C(sync_method) is C(tarssh).
      - gsyncd takes no option for it, so the CLI sets it in the forced command of gsyncd's tar key in
        C(authorized_keys) on every secondary node, C(command="tar -B -b N ${SSH_ORIGINAL_COMMAND#* }").
      - With GNU tar's default of C(20), push-pem's own line, a large file reaches the secondary in 10 KiB writes,
        at most a third of the wire's speed.
      - The line belongs to the primary cluster's tar key, so every session from the primary cluster to the same
        secondary user shares it. The CLI checks the range, 1 to 4096.
    type: int
    default: 256
  reset_sync_time:
    description:
      - With I(state=absent), delete with C(reset-sync-time), so that a new session to the same secondary starts
        with a full crawl.
    type: bool
    default: false
  timeout:
    description:
      - Bound on the whole operation, waits for keys and states included, as a Go duration such as C(10m). The CLI
        reads it, and a value it cannot read fails the task with its message, naming C(--timeout).
    type: str
    default: 10m
seealso:
  - module: glusterdr.dr.checkpoint
  - module: glusterdr.dr.dr_status
'''

EXAMPLES = r'''
- name: The session to SDSC exists, syncs with tarssh, and rests between nights
  glusterdr.dr.georep_session:
    target: sdsc
    state: stopped
    config:
      sync_method: tarssh

- name: Replicate continuously to TACC for a migration
  glusterdr.dr.georep_session:
    schedule: /etc/glusterdr/schedule.hcl
    target: tacc
    state: started
    config:
      sync_method: tarssh
      sync_jobs: 6
      rsync_options: --bwlimit=50000

- name: Retire the session to TACC, forgetting how far it had synced
  glusterdr.dr.georep_session:
    target: tacc
    state: absent
    reset_sync_time: true
'''

RETURN = r'''
session:
  description: The session, as C(primary_volume -> secondary_host::secondary_volume).
  returned: always
  type: str
  sample: global -> 198.51.100.21::global-dr
primary_node:
  description: The primary node that runs the gluster commands.
  returned: always
  type: str
  sample: 198.51.100.10
changes:
  description:
    - What was changed, in order; in check mode, what would be.
    - I(what) is one of C(create), C(ssh_port), C(pin_host_keys), C(unpin_host_keys), C(config),
      C(config_reset), C(changelog_rollover_time), C(tar_blocking_factor), C(state) and C(delete).
  returned: always
  type: list
  elements: dict
  sample: [{"what": "config", "key": "sync_method", "from": "rsync", "to": "tarssh"}, {"what": "state", "from": "stopped", "to": "started"}]
before:
  description: The session as it was read before any change.
  returned: always
  type: dict
  contains:
    exists:
      description: Whether the session exists.
      type: bool
    state:
      description: C(started), C(stopped) or C(paused); absent when the session does not exist.
      type: str
    status:
      description: Rollup of the workers' status, such as C(up), C(created), C(stopped), C(faulty).
      type: str
    pinned:
      description: Whether gsyncd verifies the secondary nodes' host keys against the keys the controller verified.
      type: bool
    tar_blocking_factor:
      description:
        - The blocking factor the secondary nodes' forced command for gsyncd's tar key sets; C(0) when a node lacks
          the key's line, C(-1) when the nodes differ or run another command. Absent when it could not be read.
      type: int
    config:
      description: gsyncd's whole config, as gluster prints it.
      type: dict
    workers:
      description: Per-worker status, pending counts and checkpoint.
      type: list
      elements: dict
  sample: {"exists": true, "state": "stopped", "status": "stopped", "pinned": true, "config": {"sync_method": "tarssh"}, "workers": []}
after:
  description: The session read back after the changes; in check mode, what it would be.
  returned: always
  type: dict
  sample: {"exists": true, "state": "started", "status": "up", "pinned": true, "config": {"sync_method": "tarssh"}, "workers": []}
cmd:
  description: The CLI invocation.
  returned: always
  type: list
  elements: str
  sample: [/usr/local/bin/glusterdr, session, --schedule, /etc/glusterdr/schedule.hcl, --json, --log-level, warn, --target, sdsc, --state, stopped]
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    Glusterdr, glusterdr_argument_spec)

CONFIG_SPEC = dict(
    sync_method=dict(type='str', choices=['rsync', 'tarssh']),
    sync_jobs=dict(type='int'),
    ignore_deletes=dict(type='bool'),
    use_meta_volume=dict(type='bool'),
    rsync_options=dict(type='str'),
    connection_timeout=dict(type='int'),
    secondary_timeout=dict(type='int'),
    log_level=dict(type='str', choices=['ERROR', 'WARNING', 'INFO', 'DEBUG']),
)

# The positive whole numbers gsyncd takes.
POSITIVE = ('sync_jobs', 'connection_timeout', 'secondary_timeout')


def config_pairs(config):
    """The --config key=value arguments of the typed config, in a stable
    order. Booleans are spelled as gsyncd prints them."""
    pairs = []
    for key in sorted(config or {}):
        value = config[key]
        if value is None:
            continue
        if isinstance(value, bool):
            value = 'true' if value else 'false'
        pairs.append('%s=%s' % (key, value))
    return pairs


def check_config(config):
    """A message for a value gsyncd would refuse, or None."""
    for key in POSITIVE:
        value = (config or {}).get(key)
        if value is not None and value < 1:
            return 'config.%s must be 1 or more, not %d' % (key, value)
    opts = (config or {}).get('rsync_options')
    if opts is not None and (not opts.strip() or '\n' in opts):
        return 'config.rsync_options must be one non-empty line'
    return None


def build_args(params, check_mode):
    args = ['--target', params['target'], '--state', params['state'], '--timeout', params['timeout'],
            '--tar-blocking-factor', str(params['tar_blocking_factor'])]
    for pair in config_pairs(params.get('config')):
        args += ['--config', pair]
    if params.get('reset_sync_time'):
        args.append('--reset-sync-time')
    if check_mode:
        args.append('--plan')
    return args


def diff_view(view, keys):
    """The part of a session view a diff shows."""
    view = view or {}
    out = dict(exists=bool(view.get('exists')))
    if out['exists']:
        out['state'] = view.get('state')
        out['pinned'] = bool(view.get('pinned'))
        if 'tar_blocking_factor' in view:
            out['tar_blocking_factor'] = view['tar_blocking_factor']
        config = view.get('config') or {}
        out['config'] = dict((k, config.get(k)) for k in sorted(keys) if k in config)
    return out


def translate(report, params):
    """The module's result from the CLI's report."""
    result = dict(
        changed=bool(report.get('changed')),
        session=report.get('session'),
        primary_node=report.get('primary_node'),
        changes=report.get('changes') or [],
        before=report.get('before') or {},
        after=report.get('after') or {},
    )
    keys = set(k for k, v in (params.get('config') or {}).items() if v is not None)
    keys.update(c.get('key') for c in result['changes'] if c.get('what') in ('config', 'ssh_port') and c.get('key'))
    keys.add('ssh_port')
    result['diff'] = dict(before=diff_view(result['before'], keys), after=diff_view(result['after'], keys))
    return result


def argument_spec():
    """The module's options; DOCUMENTATION describes each."""
    spec = glusterdr_argument_spec()
    spec.update(
        target=dict(type='str', required=True),
        state=dict(type='str', default='present', choices=['present', 'started', 'stopped', 'paused', 'absent']),
        config=dict(type='dict', options=CONFIG_SPEC),
        reset_sync_time=dict(type='bool', default=False),
        tar_blocking_factor=dict(type='int', default=256),
        timeout=dict(type='str', default='10m'),
    )
    return spec


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    params = module.params
    problem = check_config(params.get('config'))
    if problem:
        module.fail_json(msg=problem)
    if params['state'] == 'absent' and config_pairs(params.get('config')):
        module.fail_json(msg='config makes no sense with state=absent')

    cli = Glusterdr(module)
    res = cli.run(['session'], build_args(params, module.check_mode))
    result = translate(res.data, params)
    result['cmd'] = res.cmd
    if not module._diff:
        result.pop('diff')
    module.exit_json(**result)


if __name__ == '__main__':
    main()
