from shopfront.auth import check_admin


def test_wrong_password_is_rejected():
    assert not check_admin("guess")
