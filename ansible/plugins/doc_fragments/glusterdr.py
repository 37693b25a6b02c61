# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # What every glusterdr.dr module shares: how the glusterdr CLI is found
    # and which schedule it works on, the author, and the attributes' support
    # (ansible-doc merges each attribute with the module's, whose keys win:
    # a module gives its own check_mode description, and may support diffs).
    DOCUMENTATION = r'''
author:
  - glusterdr maintainers (@glusterdr)
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
    description: The module returns no diff; its result says what changed (in check mode, what would).
options:
  schedule:
    description:
      - The schedule file the C(dr_schedule) Terraform resource writes on the controller.
      - Passed to the CLI as C(--schedule).
    type: path
    default: /etc/glusterdr/schedule.hcl
  binary:
    description:
      - Path of the C(glusterdr) CLI on the managed node.
      - When unset, C(glusterdr) is looked up in C(PATH) and then in C(/usr/local/bin), where the
        C(glusterdr.dr.install) role puts it.
    type: path
  log_level:
    description:
      - Log level of the CLI's own log on standard error, returned as C(stderr) when the command fails.
    type: str
    choices: [debug, info, warn, error]
    default: warn
notes:
  - The module runs the C(glusterdr) CLI with C(--json) as an argument list (never through a shell) and translates
    its report. All geo-replication, backup, verification and retention logic lives in the CLI.
  - The CLI reaches the primary and the DR sites over SSH as the schedule's C(ssh) block says, with strict host
    key checking.
requirements:
  - the C(glusterdr) CLI on the managed node (the controller of the DR schedule)
'''
