# -*- coding: utf-8 -*-
# Copyright: glusterdr maintainers
# Mozilla Public License 2.0 (see https://mozilla.org/MPL/2.0/)

"""Offline stand-in for the ansible-test sanity tests that need PyPI
(validate-modules, ansible-doc, yamllint, import): run it with the collection
installed, as

    python3 tests/sanity/docs_check.py <collections root>

For every module it checks, with ansible-doc's own parsing (doc fragments
merged):
  - DOCUMENTATION, EXAMPLES and RETURN parse, and lint clean with yamllint;
  - the documented options match argument_spec() exactly: names, types,
    defaults, choices, required, elements and suboptions;
  - every example task passes only documented options;
  - every return value has a description, returned and type;
  - the module has an author, and every attribute a description and a
    support level (the doc fragment gives the shared ones);
  - the module imports nothing but the standard library, ansible.module_utils
    and this collection's module_utils.
and for every role that ansible-doc reads its argument_specs.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import ast
import json
import os
import re
import subprocess
import sys

import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

COLLECTION = 'glusterdr.dr'
YAMLLINT = YamlLintConfig('{extends: default, rules: {line-length: {max: 160}, document-start: disable, '
                          'truthy: {allowed-values: ["true", "false"], check-keys: false}}}')
# The support levels of an attribute (validate-modules' schema).
SUPPORT = ('full', 'partial', 'none', 'N/A')
# validate-modules' rule for an author line (skipped offline, so checked here).
AUTHOR = re.compile(r'^\w.*\(@[\w-]+\)$')
ALLOWED_IMPORTS = ('ansible.module_utils.', 'ansible_collections.glusterdr.dr.plugins.module_utils.')


def ansible_doc(kind, name, root):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=root)
    out = subprocess.run(['ansible-doc', '--json', '-t', kind, '%s.%s' % (COLLECTION, name)], env=env,
                         check=True, stdout=subprocess.PIPE, universal_newlines=True).stdout
    return json.loads(out)['%s.%s' % (COLLECTION, name)]


def load_module(path, name):
    from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
    finder = _AnsibleCollectionFinder(paths=[path])
    finder._install()
    import importlib
    return importlib.import_module('ansible_collections.glusterdr.dr.plugins.modules.%s' % name)


def compare_options(where, documented, spec, problems):
    documented = documented or {}
    spec = spec or {}
    for name in sorted(set(documented) | set(spec)):
        at = '%s.%s' % (where, name)
        if name not in spec:
            problems.append('%s is documented but not in argument_spec' % at)
            continue
        if name not in documented:
            problems.append('%s is in argument_spec but not documented' % at)
            continue
        d, s = documented[name], spec[name]
        if d.get('type', 'str') != s.get('type', 'str'):
            problems.append('%s: documented type %s, argument_spec %s' % (at, d.get('type', 'str'), s.get('type', 'str')))
        if d.get('default') != s.get('default'):
            problems.append('%s: documented default %r, argument_spec %r' % (at, d.get('default'), s.get('default')))
        if set(d.get('choices') or []) != set(s.get('choices') or []):
            problems.append('%s: documented choices %r, argument_spec %r' % (at, d.get('choices'), s.get('choices')))
        if bool(d.get('required')) != bool(s.get('required')):
            problems.append('%s: documented required %r, argument_spec %r' % (at, d.get('required'), s.get('required')))
        if d.get('elements') != s.get('elements'):
            problems.append('%s: documented elements %r, argument_spec %r' % (at, d.get('elements'), s.get('elements')))
        if not d.get('description'):
            problems.append('%s has no description' % at)
        if d.get('suboptions') or s.get('options'):
            compare_options(at, d.get('suboptions'), s.get('options'), problems)


def check_yaml(where, text, problems):
    if not text:
        problems.append('%s is empty' % where)
        return
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as e:
        problems.append('%s does not parse: %s' % (where, e))
        return
    for p in linter.run(text.lstrip('\n'), YAMLLINT):
        problems.append('%s line %d: %s' % (where, p.line, p.desc))


def check_imports(where, path, problems):
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    stdlib = set(getattr(sys, 'stdlib_module_names', ())) or None
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module]
        for n in names:
            top = n.split('.')[0]
            if n == '__future__' or n.startswith(ALLOWED_IMPORTS) or (stdlib is not None and top in stdlib):
                continue
            problems.append('%s imports %s, which a managed node may not have' % (where, n))


def check_module(root, name, problems):
    doc = ansible_doc('module', name, root)
    mod = load_module(root, name)
    where = 'module %s' % name
    for attr in ('DOCUMENTATION', 'EXAMPLES', 'RETURN'):
        check_yaml('%s %s' % (where, attr), getattr(mod, attr, ''), problems)
    compare_options(where, doc['doc'].get('options'), mod.argument_spec(), problems)
    options = set((doc['doc'].get('options') or {}).keys())
    for task in yaml.safe_load(mod.EXAMPLES) or []:
        args = task.get('%s.%s' % (COLLECTION, name))
        if args is None:
            continue
        for k in args:
            if k not in options:
                problems.append('%s EXAMPLES task %r passes undocumented option %s' % (where, task.get('name'), k))
    for rv, spec in (doc.get('return') or {}).items():
        for key in ('description', 'returned', 'type'):
            if key not in spec:
                problems.append('%s RETURN %s has no %s' % (where, rv, key))
    if not doc['doc'].get('short_description') or not doc['doc'].get('description'):
        problems.append('%s has no short_description or description' % where)
    authors = doc['doc'].get('author') or []
    if not authors:
        problems.append('%s has no author' % where)
    for a in authors:
        if not AUTHOR.search(a):
            problems.append('%s author %r is not "Name (@github)", as validate-modules requires' % (where, a))
    for name, attr in sorted((doc['doc'].get('attributes') or {}).items()):
        if not attr.get('description'):
            problems.append('%s attribute %s has no description' % (where, name))
        if attr.get('support') not in SUPPORT:
            problems.append('%s attribute %s: support %r, not one of %s' % (where, name, attr.get('support'), ', '.join(SUPPORT)))
    check_imports(where, mod.__file__, problems)


def main(argv):
    root = os.path.abspath(argv[1])
    coll = os.path.join(root, 'ansible_collections', 'glusterdr', 'dr')
    modules = sorted(f[:-3] for f in os.listdir(os.path.join(coll, 'plugins', 'modules')) if f.endswith('.py'))
    roles = sorted(os.listdir(os.path.join(coll, 'roles')))
    problems = []
    for name in modules:
        check_module(root, name, problems)
    for role in roles:
        doc = ansible_doc('role', role, root)
        main_ep = doc.get('entry_points', {}).get('main') or {}
        if not main_ep.get('short_description'):
            problems.append('role %s: argument_specs.yml has no main entry point with a short_description' % role)
        for opt, spec in (main_ep.get('options') or {}).items():
            if not opt.startswith('glusterdr_'):
                problems.append('role %s: variable %s lacks the glusterdr_ prefix' % (role, opt))
            if not spec.get('description'):
                problems.append('role %s: %s has no description' % (role, opt))
    for p in problems:
        print('ERROR: %s' % p)
    print('docs_check: %d module(s), %d role(s), %d problem(s)' % (len(modules), len(roles), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
