# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.glusterdr.dr.plugins.modules import checkpoint
from ansible_collections.glusterdr.dr.tests.unit.plugins.modules.utils import BINARY, load, run_module


def test_completed_cycle(cli):
    cli.on(['checkpoint'], load('checkpoint.json'))
    kind, res = run_module(checkpoint.main, dict(target='sdsc', timeout='45m'))
    assert kind == 'exit'
    assert cli.argv() == [BINARY, 'checkpoint', '--schedule', '/etc/glusterdr/schedule.hcl', '--json', '--log-level', 'warn',
                          '--target', 'sdsc', '--timeout', '45m']
    assert res['changed'] is True and res['completed'] is True
    assert res['checkpoint_time'] == '2026-11-25T19:05:29Z'
    assert res['completed_at'] == '2026-11-25T19:05:41Z'
    assert res['workers_done'] == res['workers_active'] == 1
    assert res['pending'] == dict(entry=0, data=0, meta=0, failures=0)
    assert res['workers'][0]['checkpoint_completed'] is True
    assert 'failure_kind' not in res


def test_check_mode_reads_only(cli):
    cli.on(['checkpoint', '--plan'], load('checkpoint-plan.json'))
    kind, res = run_module(checkpoint.main, dict(target='sdsc'), check_mode=True)
    assert kind == 'exit'
    assert cli.argv()[-2:] == ['sdsc', '--plan']
    assert res['changed'] is True
    assert res['completed'] is False and res['checkpoint_time'] is None
    assert res['status'] == 'stopped'


def test_missing_session(cli):
    cli.on(['checkpoint'], load('checkpoint-plan-nosession.json'), rc=1)
    kind, res = run_module(checkpoint.main, dict(target='tacc'), check_mode=True)
    assert kind == 'fail'
    assert 'glusterdr session --state present' in res['msg']
    assert res['changed'] is False


def test_timeout_carries_the_backlog_and_counts_as_changed(cli):
    report = load('checkpoint.json')
    report.update(completed=False, completed_at=None, failure_kind='timeout', pending=dict(entry=0, data=41, meta=2, failures=0),
                  workers_done=0, error='checkpoint cycle of geo-replication session global -> 198.51.100.21::global-dr: '
                  'checkpoint not completed after 10m0s')
    cli.on(['checkpoint'], report, rc=1)
    kind, res = run_module(checkpoint.main, dict(target='sdsc'))
    assert kind == 'fail'
    assert res['msg'].endswith('checkpoint not completed after 10m0s')
    assert res['failure_kind'] == 'timeout'
    assert res['pending']['data'] == 41
    assert res['changed'] is True


def test_the_cli_refuses_a_bad_timeout(cli):
    # What the CLI prints for a --timeout Go cannot read (captured).
    cli.on(['checkpoint'], '', rc=1,
           stderr='Error: invalid argument "1 hour" for "--timeout" flag: time: unknown unit " hour" in duration "1 hour"\n')
    kind, res = run_module(checkpoint.main, dict(target='sdsc', timeout='1 hour'))
    assert kind == 'fail'
    assert cli.argv()[-2:] == ['--timeout', '1 hour']
    assert res['msg'] == 'invalid argument "1 hour" for "--timeout" flag: time: unknown unit " hour" in duration "1 hour"'
    assert res['changed'] is False
