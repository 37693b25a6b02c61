# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

"""Helpers to run the modules in-process against a fake glusterdr CLI that
answers with reports captured from the real CLI against the lab (fixtures/)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures')
BINARY = '/usr/local/bin/glusterdr'


class AnsibleExitJson(Exception):
    """The module exited; args[0] is its result."""


class AnsibleFailJson(Exception):
    """The module failed; args[0] is its result."""


def load(name):
    """A captured report, decoded, as a fresh copy."""
    with open(os.path.join(FIXTURES, name)) as f:
        return json.load(f)


def text(report):
    return json.dumps(report, indent=2) + '\n'


class FakeCLI(object):
    """Answers run_command: each rule is (words, rc, report-or-text), the
    first rule whose words all appear in the argv wins."""

    def __init__(self):
        self.rules = []
        self.calls = []

    def on(self, words, report, rc=0, stderr=''):
        out = report if isinstance(report, str) else text(report)
        self.rules.append((list(words), rc, out, stderr))
        return self

    def __call__(self, argv, *args, **kwargs):
        assert isinstance(argv, list), 'the CLI must be run with an argument list, not %r' % (argv,)
        self.calls.append(list(argv))
        for words, rc, out, stderr in self.rules:
            if all(w in argv for w in words):
                return rc, out, stderr
        raise AssertionError('unexpected command: %r' % (argv,))

    def argv(self, i=-1):
        return self.calls[i]


def run_module(main, args, check_mode=False, diff=False):
    """Runs main with args; returns ('exit' or 'fail', result)."""
    args = copy.deepcopy(args)
    args.update(_ansible_check_mode=check_mode, _ansible_diff=diff, _ansible_remote_tmp='/tmp',
                _ansible_keep_remote_files=False)
    basic._ANSIBLE_ARGS = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args}))
    try:
        main()
    except AnsibleExitJson as e:
        return 'exit', e.args[0]
    except AnsibleFailJson as e:
        return 'fail', e.args[0]
    raise AssertionError('the module neither exited nor failed')
