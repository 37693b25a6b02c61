# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.common.warnings import get_warning_messages

from ansible_collections.glusterdr.dr.plugins.modules import trigger
from ansible_collections.glusterdr.dr.tests.unit.plugins.modules.utils import BINARY, load, run_module

COMMON = ['--schedule', '/etc/glusterdr/schedule.hcl', '--json', '--log-level', 'warn']


def test_present_installs_the_trigger_the_cli_it_calls_runs(cli):
    cli.on(['schedule', 'install'], load('schedule-install.json'))
    kind, res = run_module(trigger.main, dict())
    assert kind == 'exit'
    assert cli.argv() == [BINARY, 'schedule', 'install'] + COMMON + ['--glusterdr', BINARY]
    assert res['changed'] is True and res['in_sync'] is True
    assert res['wanted']['kind'] == 'cron' and res['wanted']['timeout_seconds'] == 5100
    assert res['next_runs'] and res['installed'] is None
    assert any('No cron daemon' in w for w in get_warning_messages())


def test_present_again_is_not_changed(cli):
    cli.on(['schedule', 'install'], load('schedule-install-again.json'))
    kind, res = run_module(trigger.main, dict(kind='cron', runner='glusterdr', glusterdr_path='/opt/gdr/glusterdr'))
    assert kind == 'exit'
    assert cli.argv()[-6:] == ['--trigger', 'cron', '--runner', 'glusterdr', '--glusterdr', '/opt/gdr/glusterdr']
    assert res['changed'] is False and res['installed']['job'].startswith('timeout -k 180s 5100s ')


def test_check_mode_plans(cli):
    cli.on(['schedule', 'install', '--plan'], load('schedule-install-plan.json'))
    kind, res = run_module(trigger.main, dict(state='present'), check_mode=True)
    assert kind == 'exit'
    assert cli.argv()[-1] == '--plan'
    assert res['changed'] is True and res['in_sync'] is False


def test_absent_removes(cli):
    cli.on(['schedule', 'remove'], load('schedule-remove.json'))
    kind, res = run_module(trigger.main, dict(state='absent'))
    assert kind == 'exit'
    assert cli.argv() == [BINARY, 'schedule', 'remove'] + COMMON
    assert res['changed'] is True and res['installed']['kind'] == 'cron'
    assert 'wanted' not in res


def test_the_clis_refusal_fails_the_task(cli):
    # What the CLI says on a controller without systemd (captured).
    cli.on(['schedule', 'install'], '', rc=1, stderr='Error: trigger = "systemd", but systemd is not running on p1 '
           '(no /run/systemd/system), so nothing was changed there: use the cron trigger, or leave the kind unset to have it chosen\n')
    kind, res = run_module(trigger.main, dict(kind='systemd'))
    assert kind == 'fail' and res['msg'].startswith('trigger = "systemd", but systemd is not running on p1')


def test_absent_takes_no_choices(cli):
    kind, res = run_module(trigger.main, dict(state='absent', kind='cron'))
    assert kind == 'fail' and 'go with state=present' in res['msg']
    assert cli.calls == []
