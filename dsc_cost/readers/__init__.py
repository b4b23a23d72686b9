"""The readers of the files dsc-cost costs: specs (YAML or JSON) and model files, each giving
:class:`~dsc_cost.spec.Spec` values, and the bounds of the run they share (:mod:`.bounds`)."""
