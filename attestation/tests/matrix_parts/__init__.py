"""One module per area: ENTRIES = {"namespace:name": Entry(...)} and optionally build(objects) adding objects.

See attestation/tests/matrix_base.py for the personas and Entry; the objects of the core world are in
attestation/tests/matrix_objects.build().
"""
