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

The modules that take a backup set through one step of the nightly cycle
(backup_set, restore_point) read `glusterdr run --step S` the same way:
set_args and StepReport.
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



def set_args(params):
    """--set and --target from the options of those names: the backup set a
    command works on, or the target whose newest unfinished set it takes."""
    args = []
    if params.get('set'):
        args += ['--set', params['set']]
    if params.get('target'):
        args += ['--target', params['target']]
    return args


class StepReport(object):
    """The report of `glusterdr run --step S [--plan] --json`, read for a
    module that takes a backup set through one step."""

    def __init__(self, report):
        report = report if isinstance(report, dict) else {}
        self.changed = bool(report.get('changed'))
        # With --plan, the engine's plan for the set; None when the step ran.
        self.planned = (report.get('planned') or [{}])[0] if report.get('plan') else None
        done = (report.get('sets') or [{}])[0]
        # The set's set.json after the step; empty when planned, or when the
        # run failed before it had a set.
        self.meta = done.get('set') or {}
        self.ran = list(done.get('ran') or [])
        # What the engine did or would do with the set: opened, resumed, stepped, ...
        self.action = (done if self.planned is None else self.planned).get('action')

    def result(self, params):
        """The results every step module returns: changed, the set, its
        target and status, and the steps that ran; when planned, the plan,
        with the set and target the step would work on (the module's own
        options where the engine names none)."""
        if self.planned is not None:
            return dict(changed=self.changed, set=self.planned.get('set') or params.get('set'),
                        target=self.planned.get('target') or params.get('target'), status=None, ran=[],
                        planned=self.planned)
        return dict(changed=self.changed, set=self.meta.get('id'), target=self.meta.get('target'),
                    status=self.meta.get('status'), ran=self.ran)
