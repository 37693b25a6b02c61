# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.glusterdr.dr.plugins.modules import georep_session
from ansible_collections.glusterdr.dr.tests.unit.plugins.modules.utils import BINARY, load, run_module


def test_typed_config_becomes_config_pairs(cli):
    cli.on(['session'], load('session-unchanged.json'))
    kind, res = run_module(georep_session.main, dict(
        target='sdsc', state='stopped',
        config=dict(sync_method='tarssh', sync_jobs=3, ignore_deletes=False, rsync_options='--bwlimit=1000')))
    assert kind == 'exit', res
    assert cli.argv() == [
        BINARY, 'session', '--schedule', '/etc/glusterdr/schedule.hcl', '--json', '--log-level', 'warn',
        '--target', 'sdsc', '--state', 'stopped', '--timeout', '10m', '--tar-blocking-factor', '256',
        '--config', 'ignore_deletes=false', '--config', 'rsync_options=--bwlimit=1000',
        '--config', 'sync_jobs=3', '--config', 'sync_method=tarssh']
    assert res['cmd'] == cli.argv()


def test_nothing_to_do_is_not_changed(cli):
    cli.on(['session'], load('session-unchanged.json'))
    kind, res = run_module(georep_session.main, dict(target='sdsc', state='stopped', config=dict(sync_method='tarssh')))
    assert kind == 'exit'
    assert res['changed'] is False
    assert res['changes'] == []
    assert res['before']['state'] == 'stopped' and res['before']['pinned'] is True
    assert res['after']['config']['sync_method'] == 'tarssh'
    assert res['session'] == 'global -> 198.51.100.21::global-dr'
    assert 'diff' not in res


def test_check_mode_plans_and_shows_the_diff(cli):
    cli.on(['session', '--plan'], load('session-plan.json'))
    kind, res = run_module(georep_session.main, dict(target='sdsc', state='started', config=dict(sync_method='tarssh', sync_jobs=3)),
                           check_mode=True, diff=True)
    assert kind == 'exit'
    assert '--plan' in cli.argv()
    assert res['changed'] is True
    assert [c['what'] for c in res['changes']] == ['state']
    assert res['diff']['before'] == dict(exists=True, state='stopped', pinned=True,
                                         config=dict(ssh_port='22', sync_jobs='3', sync_method='tarssh'))
    assert res['diff']['after']['state'] == 'started'


def test_stop_reports_the_state_change(cli):
    cli.on(['session'], load('session-stop.json'))
    kind, res = run_module(georep_session.main, dict(target='sdsc', state='stopped'))
    assert kind == 'exit'
    assert res['changed'] is True
    assert res['changes'] == [{'what': 'state', 'from': 'started', 'to': 'stopped'}]
    assert res['after']['state'] == 'stopped'


def test_absent_passes_reset_sync_time(cli):
    cli.on(['session'], load('session-unchanged.json'))
    run_module(georep_session.main, dict(target='tacc', state='absent', reset_sync_time=True))
    assert cli.argv()[-9:] == ['--target', 'tacc', '--state', 'absent', '--timeout', '10m',
                               '--tar-blocking-factor', '256', '--reset-sync-time']


def test_tar_blocking_factor_reaches_the_cli_and_the_diff(cli):
    report = load('session-plan.json')
    report['changes'] = [{'what': 'tar_blocking_factor', 'key': 'tar_blocking_factor', 'from': '20', 'to': '128'}]
    report['before']['tar_blocking_factor'] = 20
    report['after']['tar_blocking_factor'] = 128
    cli.on(['session', '--plan'], report)
    kind, res = run_module(georep_session.main, dict(target='sdsc', state='stopped', tar_blocking_factor=128),
                           check_mode=True, diff=True)
    assert kind == 'exit', res
    assert cli.argv()[cli.argv().index('--tar-blocking-factor') + 1] == '128'
    assert res['changed'] is True
    assert res['diff']['before']['tar_blocking_factor'] == 20
    assert res['diff']['after']['tar_blocking_factor'] == 128


def test_cli_failure_fails_with_its_error(cli):
    cli.on(['session'], load('session-tacc-novolume.json'), rc=1, stderr='Error: reading the secondary volume ...\n')
    kind, res = run_module(georep_session.main, dict(target='tacc', state='present'), check_mode=True)
    assert kind == 'fail'
    assert res['msg'].startswith('reading the secondary volume, to pin its nodes\' host keys')
    assert res['rc'] == 1
    assert res['report']['target'] == 'tacc'


def test_bad_input_runs_nothing(cli):
    for args, says in [
        (dict(target='sdsc', config=dict(sync_jobs=0)), 'config.sync_jobs must be 1 or more'),
        (dict(target='sdsc', config=dict(rsync_options=' ')), 'rsync_options must be one non-empty line'),
        (dict(target='sdsc', state='absent', config=dict(sync_method='tarssh')), 'config makes no sense with state=absent'),
        (dict(target='sdsc', config=dict(sync_method='scp')), 'value of sync_method must be one of'),
        (dict(target='sdsc', state='start'), 'value of state must be one of'),
    ]:
        kind, res = run_module(georep_session.main, args)
        assert kind == 'fail', args
        assert says in res['msg'], (args, res['msg'])
    assert cli.calls == []


def test_the_cli_refuses_a_bad_timeout(cli):
    # What the CLI prints for a --timeout Go cannot read (captured).
    cli.on(['session'], '', rc=1, stderr='Error: invalid argument "ten minutes" for "--timeout" flag: time: invalid duration "ten minutes"\n')
    kind, res = run_module(georep_session.main, dict(target='sdsc', timeout='ten minutes'))
    assert kind == 'fail'
    assert res['msg'] == 'invalid argument "ten minutes" for "--timeout" flag: time: invalid duration "ten minutes"'


def test_config_pairs_spell_booleans_as_gsyncd():
    assert georep_session.config_pairs(dict(use_meta_volume=True, ignore_deletes=False, sync_jobs=None)) == [
        'ignore_deletes=false', 'use_meta_volume=true']
    assert georep_session.config_pairs(None) == []
