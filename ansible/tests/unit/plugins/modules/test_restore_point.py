# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.glusterdr.dr.plugins.modules import restore_point
from ansible_collections.glusterdr.dr.tests.unit.plugins.modules.utils import load, run_module

SET = '20261204T200545Z-sdsc'


def test_makes_the_point_of_a_set(cli):
    cli.on(['run', '--step', 'restore-point'], load('run-restore-point.json'))
    kind, res = run_module(restore_point.main, dict(set=SET))
    assert kind == 'exit'
    assert cli.argv()[-4:] == ['--step', 'restore-point', '--set', SET]
    assert res['changed'] is True and res['ran'] == ['restore-point'] and res['status'] == 'verified'
    p = res['restore_point']
    assert p['method'] == 'link-tree' and p['location'].endswith('/' + SET) and p['verification']['verified'] is True


def test_a_point_made_already_is_not_changed(cli):
    report = load('run-restore-point.json')
    report.update(changed=False)
    report['sets'][0].update(action='none', ran=None)
    cli.on(['run', '--step', 'restore-point'], report)
    kind, res = run_module(restore_point.main, dict(set=SET))
    assert kind == 'exit' and res['changed'] is False and res['ran'] == []


def test_check_mode_plans(cli):
    cli.on(['run', '--step', 'restore-point', '--plan'], load('run-restore-point-plan.json'))
    kind, res = run_module(restore_point.main, dict(set=SET), check_mode=True)
    assert kind == 'exit'
    assert '--plan' in cli.argv()
    assert res['changed'] is True and res['planned']['steps'] == ['restore-point'] and res['restore_point'] is None


def test_a_failed_point_fails_naming_it(cli):
    report = load('run-restore-point.json')
    report.update(ok=False, failed_step='restore-point',
                  error='step restore-point of backup set %s failed: the restore point is not what was verified' % SET)
    report['sets'][0]['set'].update(status='failed')
    cli.on(['run', '--step', 'restore-point'], report, rc=1)
    kind, res = run_module(restore_point.main, dict(set=SET))
    assert kind == 'fail'
    assert 'not what was verified' in res['msg'] and res['status'] == 'failed'
