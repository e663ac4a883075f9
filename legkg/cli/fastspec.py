# ruff: noqa: E501
"""The parameters of the commands answered without Click (see legkg.cli.fast), read from the Click tree.

Written by ``python -m legkg.cli.fastgen``; do not edit (a test fails when it is stale). Each
parameter: (name, is an option, option names, values taken, is a flag, multiple, choices,
default, envvar, required, term kinds completed (None: not completed with terms; (): all kinds)).
The help option is named "help".
"""

# Environment variables the legkg group reads: when one is set, Click answers.
GROUP_ENVVARS = ('LEGKG_ASSERTED', 'LEGKG_ENDPOINT', 'LEGKG_ENDPOINT_USER', 'LEGKG_ONTOLOGY', 'LEGKG_SERVER')

# Commands parsed without Click: every command with a parameter completed with terms, and terms.
COMMANDS = {
    ('ancestors',): (
        ('term', False, (), 1, False, False, None, None, None, True, ()),
        ('relations', True, ('--predicate', '-p'), 1, False, True, None, '<other>', None, False, None),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('table', 'json', 'csv', 'tsv'), 'table', None, False, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
    ('conditions',): (
        ('anatomy', True, ('--anatomy', '-a'), 1, False, True, None, '<other>', None, False, ('anatomy',)),
        ('symptom', True, ('--symptom', '-s'), 1, False, True, None, '<other>', None, False, ('symptom',)),
        ('mechanism', True, ('--mechanism', '-m'), 1, False, True, None, '<other>', None, False, ('mechanism',)),
        ('category', True, ('--category', '-c'), 1, False, True, None, '<other>', None, False, ('condition',)),
        ('xref', True, ('--xref', '-x'), 1, False, False, None, None, None, False, None),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('table', 'json', 'csv', 'tsv'), 'table', None, False, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
    ('descendants',): (
        ('term', False, (), 1, False, False, None, None, None, True, ()),
        ('relations', True, ('--predicate', '-p'), 1, False, True, None, '<other>', None, False, None),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('table', 'json', 'csv', 'tsv'), 'table', None, False, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
    ('describe',): (
        ('term', False, (), 1, False, False, None, None, None, True, ()),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('table', 'json', 'csv', 'tsv'), 'table', None, False, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
    ('graph',): (
        ('term', False, (), 1, False, False, None, None, None, True, ()),
        ('depth', True, ('--depth', '-d'), 1, False, False, None, 1, None, False, None),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('svg', 'png', 'dot', 'mermaid'), 'svg', None, False, None),
        ('output', True, ('--output', '-o'), 1, False, False, None, None, None, True, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
    ('paths',): (
        ('start', False, (), 1, False, False, None, None, None, True, ()),
        ('end', False, (), 1, False, False, None, None, None, True, ()),
        ('relations', True, ('--predicate', '-p'), 1, False, True, None, '<other>', None, False, None),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('table', 'json', 'csv', 'tsv'), 'table', None, False, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
    ('terms',): (
        ('text', False, (), 1, False, False, None, None, None, False, None),
        ('kind', True, ('--kind', '-k'), 1, False, False, ('anatomy', 'condition', 'mechanism', 'symptom', 'situation', 'care', 'urgency', 'frequency', 'onset', 'severity'), None, None, False, None),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('table', 'json', 'csv', 'tsv'), 'table', None, False, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
    ('tree',): (
        ('term', False, (), 1, False, False, None, None, None, False, ()),
        ('relations', True, ('--predicate', '-p'), 1, False, True, None, '<other>', None, False, None),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('table', 'json', 'csv', 'tsv'), 'table', None, False, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
    ('triage',): (
        ('symptoms', True, ('--symptom', '-s'), 1, False, True, None, '<other>', None, False, ('symptom',)),
        ('situations', True, ('--situation', '-t'), 1, False, True, None, '<other>', None, False, ('situation',)),
        ('fmt', True, ('--format', '-f'), 1, False, False, ('table', 'json'), 'table', None, False, None),
        ('help', True, ('-h', '--help'), 1, True, False, None, False, None, False, None),
    ),
}
