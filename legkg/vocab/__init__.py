"""Other vocabularies: SSSOM mappings to SNOMED CT, ICD-10-CM, HPO, ... and linked vocabularies
(HPO, ICD-10-CM, any RDF file).

May import ``legkg.reasoning``, ``legkg.store`` and ``legkg.core``.
"""
