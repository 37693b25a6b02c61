# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.glusterdr.dr.plugins.module_utils.glusterdr import (
    CLIResult, Glusterdr, decode_report)


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
