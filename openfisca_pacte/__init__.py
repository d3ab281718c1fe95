"""OpenFisca extension holding the Pacte des solidarités' own rules (variables, parameters, YAML tests).

Load it into OpenFisca-France with ``tax_benefit_system.load_extension("openfisca_pacte")`` or
``openfisca test … --country-package openfisca_france --extensions openfisca_pacte``. OpenFisca reads every
``.py`` file under this directory looking for variables, so keep this module free of side effects.
"""
