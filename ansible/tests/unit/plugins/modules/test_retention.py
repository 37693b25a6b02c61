# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.glusterdr.dr.plugins.modules import retention
from ansible_collections.glusterdr.dr.tests.unit.plugins.modules.utils import load, run_module

SET = '20261125T191112Z-sdsc'


def test_planned_never_changes(cli):
    cli.on(['retention'], load('retention-plan.json'))
    kind, res = run_module(retention.main, dict(state='planned'))
    assert kind == 'exit'
    assert '--apply' not in cli.argv()
    assert res['changed'] is False and res['applied'] is False
    assert res['policy'] == dict(daily=7, weekly=5, monthly=0, full_every=0)
    assert [k['id'] for k in res['keep']] == [SET]


def test_applied_with_nothing_to_delete_is_not_changed(cli):
    cli.on(['retention', '--apply'], load('retention-apply.json'))
    kind, res = run_module(retention.main, dict())
    assert kind == 'exit'
    assert res['changed'] is False and res['applied'] is True


def test_applied_deleting_is_changed(cli):
    report = load('retention-apply.json')
    gone = dict(id='20261101T020000Z-sdsc', target='sdsc', time='2026-11-01T02:00:00Z', tier='daily', reason='older than the 7 newest dailies')
    report.update(delete=[gone], deleted=[gone['id']])
    cli.on(['retention', '--apply'], report)
    kind, res = run_module(retention.main, dict(state='applied'))
    assert kind == 'exit'
    assert res['changed'] is True and res['deleted'] == ['20261101T020000Z-sdsc']


def test_the_nightly_step_of_a_set(cli):
    cli.on(['run', '--step', 'retention'], load('run-retention.json'))
    kind, res = run_module(retention.main, dict(state='applied', set=SET))
    assert kind == 'exit'
    assert cli.argv()[-4:] == ['--step', 'retention', '--set', SET]
    assert res['changed'] is True and res['set'] == SET and res['applied'] is True


def test_check_mode_without_a_set(cli):
    report = load('retention-plan.json')
    cli.on(['retention'], report)
    kind, res = run_module(retention.main, dict(state='applied'), check_mode=True)
    assert kind == 'exit' and res['changed'] is False
    assert '--apply' not in cli.argv()
    report['promote'] = [dict(id=SET, target='sdsc', time='2026-11-25T19:11:12Z', tier='weekly', reason='7th cycle')]
    cli.rules = []
    cli.on(['retention'], report)
    kind, res = run_module(retention.main, dict(state='applied'), check_mode=True)
    assert res['changed'] is True


def test_check_mode_with_a_set(cli):
    cli.on(['run', '--step', 'retention', '--plan'], load('run-retention-plan.json'))
    cli.on(['retention'], load('retention-plan.json'))
    kind, res = run_module(retention.main, dict(state='applied', set=SET), check_mode=True)
    assert kind == 'exit'
    assert res['changed'] is True and res['set'] == SET
    assert all('--apply' not in c for c in cli.calls)


def test_check_mode_with_a_set_whose_earlier_steps_are_to_run(cli):
    cli.on(['run', '--step', 'retention', '--plan'], load('run-retention-plan-after.json'))
    cli.on(['retention'], load('retention-plan.json'))
    kind, res = run_module(retention.main, dict(state='applied', set=SET), check_mode=True)
    assert kind == 'exit'
    assert res['changed'] is True
    assert [c[1] for c in cli.calls] == ['retention', 'run'], 'the engine plans it; the module asks nothing else'


def test_check_mode_with_a_failed_set_fails(cli):
    cli.on(['run', '--step', 'retention', '--plan'], load('run-retention-plan-failed.json'), rc=1)
    cli.on(['retention'], load('retention-plan.json'))
    kind, res = run_module(retention.main, dict(state='applied', set=SET), check_mode=True)
    assert kind == 'fail' and 'is failed, not verified' in res['msg']


def test_set_goes_with_applied(cli):
    kind, res = run_module(retention.main, dict(state='planned', set=SET))
    assert kind == 'fail' and 'set goes with state=applied' in res['msg']
