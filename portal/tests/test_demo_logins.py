from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password

from portal.demo import DEMO_LOGINS, PASSWORD, demo_create, demo_password_hash


def test_the_demo_password_is_hashed_once_for_each_setting_of_the_hashers(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    argon2 = demo_password_hash()
    assert argon2.startswith("argon2$") and check_password(PASSWORD, argon2)
    assert demo_password_hash() == argon2  # not hashed again
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert demo_password_hash().startswith("md5$") and check_password(PASSWORD, demo_password_hash())


def test_every_demo_person_has_the_published_password(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo_create()
    people = get_user_model().objects.all()
    assert people.count() > len(DEMO_LOGINS)
    assert set(people.values_list("password", flat=True)) == {demo_password_hash()}
    for person in people.filter(username__in=DEMO_LOGINS.values()):
        assert person.check_password(PASSWORD) and not person.check_password(PASSWORD + "x"), person.username
