# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

"""The one helper every glusterdr.dr module uses: it runs the glusterdr CLI
with --json as an argument list and parses its report.

The CLI prints its report on standard output, even when it fails, and logs
on standard error. A failure exits non-zero (cmd/glusterdr/CLI.md: 1 failed,
2 usage, 3 a copy found damaged, 75 another run holds the lock) and the
document on standard output then has an "error" object (message, kind,
exit_code); standard error says it too, as "Error: ...".
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

DEFAULT_SCHEDULE = '/etc/glusterdr/schedule.hcl'
LOG_LEVELS = ['debug', 'info', 'warn', 'error']
# Where the glusterdr.dr.install role puts the binary, searched after PATH.
INSTALL_DIRS = ['/usr/local/bin', '/usr/bin']


def glusterdr_argument_spec():
    """The options every module shares (doc fragment glusterdr.dr.glusterdr)."""
    return dict(
        schedule=dict(type='path', default=DEFAULT_SCHEDULE),
        binary=dict(type='path'),
        log_level=dict(type='str', default='warn', choices=LOG_LEVELS),
    )


class CLIResult(object):
    """One finished CLI invocation."""

    def __init__(self, cmd, rc, stdout, stderr, data):
        self.cmd = cmd
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        # data is the decoded report, or None when stdout held no JSON.
        self.data = data

    @property
    def ok(self):
        return self.rc == 0

    def error(self):
        """The best one-paragraph account of a failure."""
        err = self.data.get('error') if isinstance(self.data, dict) else None
        if isinstance(err, dict) and err.get('message'):
            # glusterdr >= 0.2.0: {"error": {"message", "kind", "exit_code", ...}}
            return err['message']
        if err and isinstance(err, str):
            return err
        for line in reversed((self.stderr or '').splitlines()):
            if line.startswith('Error:'):
                return line[len('Error:'):].strip()
        tail = (self.stderr or '').strip().splitlines()
        if tail:
            return tail[-1]
        return 'glusterdr exited with code %d and said nothing' % self.rc


def decode_report(stdout):
    """The JSON report on stdout, or None when there is none."""
    text = (stdout or '').strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class Glusterdr(object):
    """Runs `glusterdr <command> --schedule S --json ...` for a module."""

    def __init__(self, module):
        self.module = module
        p = module.params
        self.schedule = p.get('schedule') or DEFAULT_SCHEDULE
        self.log_level = p.get('log_level') or 'warn'
        self.binary = p.get('binary') or module.get_bin_path('glusterdr', required=True, opt_dirs=INSTALL_DIRS)

    def argv(self, command, args=None):
        """The argument list of one invocation; command is a list such as
        ['run'] or ['session']."""
        argv = [self.binary] + list(command) + ['--schedule', self.schedule, '--json', '--log-level', self.log_level]
        return argv + [str(a) for a in (args or [])]

    def run(self, command, args=None, check=True):
        """Runs the CLI and decodes its report. With check, a failure ends
        the module through fail(); otherwise the CLIResult is returned."""
        cmd = self.argv(command, args)
        rc, stdout, stderr = self.module.run_command(cmd)
        res = CLIResult(cmd, rc, stdout, stderr, decode_report(stdout))
        if check and not res.ok:
            self.fail(res)
        if res.ok and res.data is None:
            self.module.fail_json(msg='glusterdr printed no JSON report; is %s the glusterdr CLI, and new enough?' % self.binary,
                                  cmd=cmd, rc=rc, stdout=stdout, stderr=stderr)
        return res

    def fail(self, res, msg=None, **extra):
        """Ends the module with the CLI's failure: its error, the command,
        the exit code, its log and its report."""
        result = dict(extra)
        result.update(cmd=res.cmd, rc=res.rc, stderr=res.stderr)
        if res.data is not None:
            result['report'] = res.data
        self.module.fail_json(msg=msg or res.error(), **result)

