"""Access-to-rights engine: the household file format, the catalogue of benefits and (to come) the computation
on OpenFisca-France. A library: nothing here imports Django; the web app and the commands wrap it."""
