# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.glusterdr.dr.plugins.modules import dr_status
from ansible_collections.glusterdr.dr.tests.unit.plugins.modules.utils import load, run_module


def test_status_facts(cli):
    cli.on(['status'], load('status.json'))
    kind, res = run_module(dr_status.main, dict(schedule='/srv/lab/schedule.hcl'))
    assert kind == 'exit'
    assert cli.argv()[1:4] == ['status', '--schedule', '/srv/lab/schedule.hcl']
    assert res['changed'] is False
    facts = res['ansible_facts']
    assert list(facts) == ['glusterdr_status']
    st = facts['glusterdr_status']
    assert st['verified_copies'] == 1 and st['next_target'] == 'tacc'
    assert [t['name'] for t in st['targets']] == ['sdsc', 'tacc']


def test_sets_and_sessions(cli):
    cli.on(['status'], load('status.json'))
    cli.on(['sets'], load('sets.json'))
    cli.on(['session', 'sdsc'], load('session-unchanged.json'))
    cli.on(['session', 'tacc'], load('session-tacc-novolume.json'), rc=1)
    kind, res = run_module(dr_status.main, dict(sets=True, sessions=True), check_mode=True)
    assert kind == 'exit'
    facts = res['ansible_facts']
    assert facts['glusterdr_sets']['sets'][0]['verified'] is True
    assert facts['glusterdr_sessions']['sdsc']['state'] == 'stopped'
    assert facts['glusterdr_sessions']['tacc']['exists'] is False
    assert 'Volume does not exist' in facts['glusterdr_sessions']['tacc']['error']
    for argv in cli.calls:
        if argv[1] == 'session':
            assert argv[-3:] == ['--state', 'present', '--plan'], 'facts must never change a session'
