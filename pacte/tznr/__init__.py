"""Territoires zéro non-recours (TZNR): the register of the experiments against the non-take-up of social rights
(article 133 of the loi n° 2022-217 du 21 février 2022, décret n° 2023-602 du 13 juillet 2023, arrêté du 4 août
2023), their follow-up by period and the cost of a right opened.

- `models`: the experiment, its budget, « aller-vers » actions and contacts; the periods and their rights opened;
- `register`: the 39 territories of the arrêté, loaded from data/territoires.yaml with their sources;
- `perms`: who reads and does what (the register is public, the follow-up is for the State and the porteur);
- `services`: every state change (one transaction, French errors per field, optimistic locking);
- `imports`: the file of rights opened of a period (CSV or XLSX), checked line by line;
- `cost`: the cost of a right opened and its method, from numbers only;
- `queries`: the reads shared by the pages, the exports, the API and the barometer (`register_value` bears the
  référentiel's target « 39 territoires zéro non-recours »);
- `notifications`: who is told when a period is transmitted, validated or sent back.

The app lies on the floor of contracts and grants (it reads the territories and the organisations): the barometer
(observation) reads its count, the screening app attaches its batch jobs to an experiment and shows the NRPE
before and after on the experiment's page through its own inclusion tag.
"""
