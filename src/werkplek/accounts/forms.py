from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from werkplek.core.fields import NationalNumberFormField

from .models import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "The username or password is not correct. Check both and try again; after 5 failed "
            "attempts, logging in is blocked for 15 minutes."
        ),
        "inactive": _("This account is not active."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["username"].widget.attrs.update({"autocomplete": "username",
                                                     "spellcheck": "false"})
        self.fields["password"].label = _("Password")
        self.fields["username"].error_messages["required"] = _("Enter your username.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")
        # Django only puts the user model's limit on the widget: without a validator, a longer
        # name reaches `authenticate`, and django-axes fails to record it (varchar 255).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(
            username.max_length,
            message=_("A username has at most %(limit_value)d characters.")))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The 6 digits your app shows now."),
        max_length=8,
        error_messages={"required": _("Enter the 6-digit code from your app.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "spellcheck": "false"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("The code has 6 digits."))
        return token


class GrantAccessForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100,
                                 error_messages={"required": _("Enter the first name.")})
    last_name = forms.CharField(label=_("Last name"), max_length=100,
                                error_messages={"required": _("Enter the last name.")})
    national_number = NationalNumberFormField(
        label=_("National register number"),
        help_text=_("For example 85.07.30-033.28. Your colleague logs in with eID; the number "
                    "links the login to this access."),
        error_messages={"required": _("Enter the national register number.")},
    )
    email = forms.EmailField(label=_("E-mail address"), required=False,
                             error_messages={"invalid": _("Enter an e-mail address like "
                                                          "name@example.be.")})
    role = forms.ChoiceField(
        label=_("Access"),
        choices=[(Role.EMPLOYER.value, _("Employer staff: prepares applications, manages "
                                         "mentors and agreements")),
                 (Role.REPRESENTATIVE.value, _("Legal representative: also grants access"))],
        initial=Role.EMPLOYER.value,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the access to give.")},
    )
