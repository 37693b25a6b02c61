# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.glusterdr.dr.plugins.modules import backup_set
from ansible_collections.glusterdr.dr.tests.unit.plugins.modules.utils import BINARY, load, run_module

SET = '20261125T191112Z-sdsc'
COMMON = ['--schedule', '/etc/glusterdr/schedule.hcl', '--json', '--log-level', 'warn']


def test_open_a_new_set(cli):
    cli.on(['run', '--step', 'open'], load('run-open.json'))
    kind, res = run_module(backup_set.main, dict(state='opened', target='sdsc'))
    assert kind == 'exit'
    assert cli.argv() == [BINARY, 'run'] + COMMON + ['--step', 'open', '--target', 'sdsc']
    assert res['changed'] is True and res['resumed'] is False
    assert res['set'] == SET and res['target'] == 'sdsc' and res['status'] == 'pending'
    assert res['ran'] == ['open']
    assert res['info']['steps'][0] == dict(res['info']['steps'][0], name='open', state='done')


def test_resume_takes_up_what_the_engine_would_resume(cli):
    cli.on(['run', '--step', 'open', '--resume'], load('run-open-resume.json'))
    kind, res = run_module(backup_set.main, dict(state='opened', target='sdsc', resume=True))
    assert kind == 'exit'
    assert cli.argv() == [BINARY, 'run'] + COMMON + ['--step', 'open', '--target', 'sdsc', '--resume']
    assert len(cli.calls) == 1, 'the engine decides what to resume'
    assert res['changed'] is False and res['resumed'] is True
    assert res['set'] == SET and res['status'] == 'pending'


def test_resume_opens_when_nothing_is_left(cli):
    cli.on(['run', '--step', 'open', '--resume'], load('run-open.json'))
    kind, res = run_module(backup_set.main, dict(state='opened', resume=True))
    assert kind == 'exit'
    assert res['changed'] is True and res['resumed'] is False and res['set'] == SET


def test_resume_in_check_mode(cli):
    cli.on(['run', '--step', 'open', '--resume', '--plan'], load('run-open-resume-plan.json'))
    kind, res = run_module(backup_set.main, dict(state='opened', resume=True), check_mode=True)
    assert kind == 'exit'
    assert res['changed'] is False and res['resumed'] is True and res['set'] == SET


def test_open_a_named_set_that_exists(cli):
    cli.on(['run', '--step', 'open', '--set'], load('run-open-named.json'))
    kind, res = run_module(backup_set.main, dict(state='opened', set=SET, resume=True))
    assert kind == 'exit'
    assert cli.argv()[-4:] == ['--step', 'open', '--set', SET], 'resume goes with no set'
    assert res['changed'] is False and res['set'] == SET and res['verified'] is True and res['resumed'] is False


def test_open_a_named_set_that_does_not_exist(cli):
    cli.on(['run', '--step', 'open', '--set'], load('run-open-named-missing.json'), rc=1)
    kind, res = run_module(backup_set.main, dict(state='opened', set='20261101T020000Z-sdsc'))
    assert kind == 'fail' and 'backup set 20261101T020000Z-sdsc does not exist' in res['msg']


def test_fill_runs_the_step(cli):
    cli.on(['run', '--step', 'fill'], load('run-fill.json'))
    kind, res = run_module(backup_set.main, dict(state='filled', set=SET))
    assert kind == 'exit'
    assert cli.argv()[-4:] == ['--step', 'fill', '--set', SET]
    assert res['changed'] is True and res['ran'] == ['fill']
    assert res['info']['contents']['files'] > 0
    assert 'resumed' not in res


def test_a_step_done_already_is_not_changed(cli):
    cli.on(['run', '--step', 'fill'], load('run-fill-again.json'))
    kind, res = run_module(backup_set.main, dict(state='filled', set=SET))
    assert kind == 'exit'
    assert res['changed'] is False and res['ran'] == []


def test_verify_returns_the_verification(cli):
    cli.on(['run', '--step', 'verify'], load('run-verify.json'))
    kind, res = run_module(backup_set.main, dict(state='verified', set=SET))
    assert kind == 'exit'
    assert res['verified'] is True and res['status'] == 'verified'
    assert res['verification']['verified'] is True and res['verification']['errors'] == 0


def test_check_mode_plans_the_step(cli):
    cli.on(['run', '--step', 'fill', '--plan'], load('run-fill-plan.json'))
    kind, res = run_module(backup_set.main, dict(state='filled', set=SET), check_mode=True)
    assert kind == 'exit'
    assert res['changed'] is True and res['planned']['action'] == 'stepped' and res['ran'] == []


def test_check_mode_on_a_set_open_only_planned(cli):
    cli.on(['run', '--step', 'fill', '--plan'], load('run-fill-plan-missing.json'))
    kind, res = run_module(backup_set.main, dict(state='filled', set='20261125T000000Z-sdsc'), check_mode=True)
    assert kind == 'exit'
    assert res['changed'] is True and res['set'] == '20261125T000000Z-sdsc' and res['target'] == 'sdsc'
    assert res['planned']['after'] == ['open']


def test_check_mode_when_earlier_steps_are_still_to_run(cli):
    cli.on(['run', '--step', 'verify', '--plan'], load('run-verify-plan-after.json'))
    kind, res = run_module(backup_set.main, dict(state='verified', set=SET), check_mode=True)
    assert kind == 'exit', res
    assert len(cli.calls) == 1, 'the engine plans it; the module asks nothing else'
    assert res['changed'] is True and res['planned']['after'] == ['fill', 'replicate']


def test_check_mode_passes_steps_it_does_not_know_through(cli):
    report = load('run-verify-plan-after.json')
    report['step'] = 'record'
    report['planned'][0].update(steps=['record'], after=['verify', 'restore-point', 'retention'])
    cli.on(['run', '--step', 'record', '--plan'], report)
    kind, res = run_module(backup_set.main, dict(state='recorded', set=SET), check_mode=True)
    assert kind == 'exit', res
    assert res['changed'] is True and res['planned']['after'] == ['verify', 'restore-point', 'retention']


def test_check_mode_keeps_a_real_refusal(cli):
    cli.on(['run', '--step', 'verify', '--plan'], load('run-verify-plan-failed.json'), rc=1)
    kind, res = run_module(backup_set.main, dict(state='verified', set=SET), check_mode=True)
    assert kind == 'fail'
    assert len(cli.calls) == 1
    assert res['msg'].startswith('step verify of backup set %s needs step fill first, which is failed' % SET)


def test_failure_names_the_error(cli):
    # A target the schedule lacks is a usage error: the document holds the error alone.
    cli.on(['run'], load('run-open-badtarget.json'), rc=2,
           stderr='Error: --target: target "nosuch" is not in the schedule /etc/glusterdr/schedule.hcl (targets: sdsc, tacc)\n')
    kind, res = run_module(backup_set.main, dict(state='opened', target='nosuch'))
    assert kind == 'fail'
    assert res['msg'] == '--target: target "nosuch" is not in the schedule /etc/glusterdr/schedule.hcl (targets: sdsc, tacc)'
    assert res['report']['error']['kind'] == 'usage'


def test_recheck_changes_nothing(cli):
    cli.on(['verify'], load('verify.json'))
    kind, res = run_module(backup_set.main, dict(state='verified', target='sdsc', recheck=True))
    assert kind == 'exit'
    assert cli.argv() == [BINARY, 'verify'] + COMMON + ['--target', 'sdsc']
    assert res['cmd'] == cli.argv(), 'cmd is the invocation, with its arguments'
    assert res['changed'] is False and res['verified'] is True and res['set'] == SET


def test_recheck_fails_on_a_copy_that_differs(cli):
    report = load('verify.json')
    report.update(verified=False, error='1 manifest entry differs at sdsc')
    report['verification'].update(verified=False, errors=1)
    cli.on(['verify'], report, rc=1)
    kind, res = run_module(backup_set.main, dict(state='verified', set=SET, recheck=True))
    assert kind == 'fail'
    assert res['msg'] == '1 manifest entry differs at sdsc'
    assert res['verification']['errors'] == 1


def test_recheck_goes_with_verified(cli):
    kind, res = run_module(backup_set.main, dict(state='filled', recheck=True))
    assert kind == 'fail' and 'recheck goes with state=verified' in res['msg']
    assert cli.calls == []
