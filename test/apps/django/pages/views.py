import django
from django.contrib.auth.models import User
from django.http import HttpResponse


def index(request):
    # Querying a table created by "manage.py migrate" proves that the run
    # script migrated the sqlite database before starting the server.
    users = User.objects.count()
    return HttpResponse(
        "django: index view answered after migrate (Django %s, %d users in sqlite)\n" % (django.get_version(), users),
        content_type="text/plain; charset=utf-8",
    )
