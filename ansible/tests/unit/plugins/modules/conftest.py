# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible.module_utils import basic

from ansible_collections.glusterdr.dr.tests.unit.plugins.modules.utils import (
    AnsibleExitJson, AnsibleFailJson, BINARY, FakeCLI)


@pytest.fixture
def cli(monkeypatch):
    fake = FakeCLI()

    def exit_json(self, **kwargs):
        kwargs.setdefault('changed', False)
        raise AnsibleExitJson(kwargs)

    def fail_json(self, msg, **kwargs):
        kwargs.update(failed=True, msg=msg)
        raise AnsibleFailJson(kwargs)

    def run_command(self, argv, *args, **kwargs):
        return fake(argv, *args, **kwargs)

    def get_bin_path(self, name, required=False, opt_dirs=None):
        assert name == 'glusterdr'
        assert '/usr/local/bin' in (opt_dirs or [])
        return BINARY

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)
    monkeypatch.setattr(basic.AnsibleModule, 'run_command', run_command)
    monkeypatch.setattr(basic.AnsibleModule, 'get_bin_path', get_bin_path)
    return fake
