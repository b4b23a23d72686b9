"""Network specs: YAML or JSON text in, validated :class:`~dsc_cost.network.Network` values out.

Validation is strict and complete: every value is type-checked before it is used, and
every problem of a file is collected and reported at once, each with ``file:line:column``,
the layer (index and name), the field, what was expected and what was found (and the
closest word, for a misspelt one). The layer types and their fields are those of the
registry, :data:`dsc_cost.layers.REGISTRY`. Positions cost nothing on valid input: the fast path
parses to plain data (PyYAML, with libyaml's C parser where it is present; the ``json``
module for ``.json``), and only when a problem is found is the text composed again, once per
file and with libyaml's marks, by a :class:`Positions` that the specs of the file share.

Hostile input is refused with the same kind of message: YAML is loaded safely (no
tags that construct objects), aliases are shared, never copied, nesting deeper than
:data:`MAX_DEPTH` is refused before the C parser sees it, a key given twice in a mapping is
an error, and names may not hold control characters (a name is data: it never reaches a
terminal or a CI log as a command). The work of a run is bounded before it is done
(:class:`Bounds`): no more than ``max_file_size`` bytes of a file are read, and the layers
that the documents list are counted as each is read, so that the one that passes
``max_layers`` is refused before any is validated or built. What was found is always shown
escaped, and cut to 80 characters.

The modules, one job each: :mod:`.text` (a file's text), :mod:`.load` (documents to specs, files by their
reader), :mod:`.validate` (the top level, the defaults, a layer's fields), :mod:`.document` (one document's
network), :mod:`.blocks` (the blocks defined), :mod:`.expand` with :mod:`.core`, :mod:`.uses`,
:mod:`.templates`, :mod:`.inclusion` and :mod:`.scopes` (the layers expanded), :mod:`.width` (a width
multiplier), :mod:`.costing` (a layer that does not fit, located). :mod:`dsc_cost.spec` re-exports the public names.
"""
