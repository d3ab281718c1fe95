"""Pages of the access to rights (/droits/): `tools` (the home page and the simulator), `batches` (the upload,
a job's progress, results and aggregates); `common` holds what they share. Views only check who asks and hand
over to forms, `simulator`, `jobs` and `queries`."""
