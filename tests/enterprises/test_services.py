"""The enterprises' services: one mentor per person and enterprise."""
def test_a_mentor_is_found_by_number_or_created_once(demo_enterprise):
    import pytest
    from django.core.exceptions import ValidationError

    from werkplek.enterprises.services import find_or_create_mentor

    peeters = demo_enterprise.mentors.get(last_name="Peeters")
    number = peeters.national_number
    assert find_or_create_mentor(enterprise=demo_enterprise, first_name="jan",
                                 last_name="PEETERS", national_number=number) == peeters
    with pytest.raises(ValidationError) as error:
        find_or_create_mentor(enterprise=demo_enterprise, first_name="Piet",
                              last_name="Peeters", national_number=number)
    assert error.value.code == "known_number"
    new = find_or_create_mentor(enterprise=demo_enterprise, first_name=" Lies ",
                                last_name="Claes", national_number="85073003328",
                                years_of_experience=7)
    assert (new.first_name, new.years_of_experience, new.birth_date.year) == ("Lies", 7, 1985)
    assert demo_enterprise.mentors.filter(
        national_number_hash=new.national_number_hash).count() == 1
