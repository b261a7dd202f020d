"""Local `awsglueml`: Glue's machine-learning transforms, as far as they run without AWS.

Glue Studio's Detect Sensitive Data node imports `awsglueml.transforms.EntityDetector`; its
pattern-based entity types are reproduced here (`entities.py`), the ones AWS detects with a
model are refused with a clear error. FillMissingValues and the FindMatches family need a
model trained on AWS: see transforms.py for what each does locally.
"""
