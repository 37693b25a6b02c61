# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    CLIResult, Glusterdr, StepReport, decode_report, set_args)


class FakeModule(object):
    def __init__(self, params, answer=None):
        self.params = params
        self.answer = answer
        self.calls = []
        self.failed = None

    def get_bin_path(self, name, required=False, opt_dirs=None):
        return '/opt/found/' + name

    def run_command(self, argv):
        self.calls.append(argv)
        return self.answer

    def fail_json(self, msg, **kwargs):
        self.failed = dict(kwargs, msg=msg)
        raise SystemExit(1)


def test_argv_is_a_list_with_the_schedule_and_json():
    m = FakeModule(dict(schedule='/etc/glusterdr/lab.hcl', binary=None, log_level='info'))
    g = Glusterdr(m)
    assert g.argv(['run'], ['--step', 'fill', 3]) == [
        '/opt/found/glusterdr', 'run', '--schedule', '/etc/glusterdr/lab.hcl', '--json', '--log-level', 'info',
        '--step', 'fill', '3']


def test_binary_param_wins():
    g = Glusterdr(FakeModule(dict(schedule=None, binary='/srv/bin/glusterdr', log_level=None)))
    assert g.argv(['status'])[:3] == ['/srv/bin/glusterdr', 'status', '--schedule']
    assert '/etc/glusterdr/schedule.hcl' in g.argv(['status'])


def test_decode_report():
    assert decode_report('{"ok": true}\n') == dict(ok=True)
    assert decode_report('') is None
    assert decode_report('Usage: glusterdr ...') is None


@pytest.mark.parametrize('data, stderr, want', [
    (dict(error='step fill failed: etcd unreachable'), 'Error: step fill failed\n', 'step fill failed: etcd unreachable'),
    (dict(ok=False, error=dict(message='another run holds the lock /l: PID 7', kind='locked', exit_code=75)),
     'Error: another run holds the lock /l: PID 7\n', 'another run holds the lock /l: PID 7'),
    (dict(error=dict(message='unknown flag: --plan', kind='usage', exit_code=2)), '', 'unknown flag: --plan'),
    (None, 'time=... level=INFO msg=x\nError: reading the schedule: no such file\n', 'reading the schedule: no such file'),
    (None, 'unknown flag: --plan\n', 'unknown flag: --plan'),
    (None, '', 'glusterdr exited with code 1 and said nothing'),
])
def test_error_is_the_clearest_account(data, stderr, want):
    assert CLIResult(['glusterdr'], 1, '', stderr, data).error() == want


def test_failure_carries_command_code_log_and_report():
    m = FakeModule(dict(schedule='/s.hcl', binary='/b/glusterdr', log_level='warn'),
                   answer=(1, '{"ok": false, "error": "boom"}', 'Error: boom\n'))
    with pytest.raises(SystemExit):
        Glusterdr(m).run(['run'])
    assert m.failed['msg'] == 'boom'
    assert m.failed['rc'] == 1 and m.failed['stderr'] == 'Error: boom\n'
    assert m.failed['report'] == dict(ok=False, error='boom')
    assert m.failed['cmd'][:2] == ['/b/glusterdr', 'run']


def test_success_without_json_is_a_failure():
    m = FakeModule(dict(schedule='/s.hcl', binary='/b/glusterdr', log_level='warn'), answer=(0, 'hello', ''))
    with pytest.raises(SystemExit):
        Glusterdr(m).run(['status'])
    assert 'printed no JSON report' in m.failed['msg']


def test_unchecked_failure_is_returned():
    m = FakeModule(dict(schedule='/s.hcl', binary='/b/glusterdr', log_level='warn'), answer=(1, '{"error": "x"}', ''))
    res = Glusterdr(m).run(['verify'], check=False)
    assert not res.ok and res.data == dict(error='x') and m.failed is None


def test_set_args_name_the_set_or_the_target():
    assert set_args(dict(set='20261125T020000Z-sdsc', target=None)) == ['--set', '20261125T020000Z-sdsc']
    assert set_args(dict(set=None, target='sdsc')) == ['--target', 'sdsc']
    assert set_args(dict(set=None, target=None)) == []


def test_step_report_of_a_run_is_the_set_after_the_step():
    meta = dict(id='20261125T020000Z-sdsc', target='sdsc', status='verified', restore_point=dict(files=3))
    step = StepReport(dict(plan=False, changed=True, sets=[dict(action='stepped', ran=['restore-point'], set=meta)]))
    assert step.result(dict(set=None, target=None)) == dict(
        changed=True, set='20261125T020000Z-sdsc', target='sdsc', status='verified', ran=['restore-point'])
    assert step.meta == meta and step.action == 'stepped'


def test_step_report_of_a_plan_names_the_set_it_would_work_on():
    planned = dict(action='resumed', set='20261125T020000Z-sdsc', target='sdsc', steps=['fill'], after=[])
    step = StepReport(dict(plan=True, changed=False, sets=[], planned=[planned]))
    assert step.result(dict(set=None, target=None)) == dict(
        changed=False, set='20261125T020000Z-sdsc', target='sdsc', status=None, ran=[], planned=planned)
    assert step.meta == {} and step.action == 'resumed'


def test_step_report_of_a_refused_plan_keeps_the_options():
    step = StepReport(dict(plan=True, ok=False, changed=False, sets=[], error='step verify needs step fill first'))
    assert step.result(dict(set='20261125T020000Z-sdsc', target='sdsc')) == dict(
        changed=False, set='20261125T020000Z-sdsc', target='sdsc', status=None, ran=[], planned={})


def test_step_report_without_a_report_has_no_set():
    step = StepReport(None)
    assert step.result(dict(set=None, target=None)) == dict(changed=False, set=None, target=None, status=None, ran=[])
    assert step.meta == {} and step.action is None
