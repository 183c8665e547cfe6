# Each OvopRating (a sentra "rated" in a year) becomes the OvopCoaching of that sentra and year:
# the rating recorded that the sentra was coached, which is what the outputs count (ovop_centres).
# Its stars are kept as the star level reported at coaching time. No award (OvopCandidate) is
# made from them: stars are awarded to an IKM in a cycle, and a rating names no IKM nor cycle.

from django.db import migrations


def ratings_to_coaching(apps, schema_editor):
    OvopRating = apps.get_model("programs", "OvopRating")
    OvopCoaching = apps.get_model("programs", "OvopCoaching")
    batch = []
    for rating in OvopRating.objects.order_by("pk").iterator(chunk_size=2000):
        batch.append(OvopCoaching(sentra_id=rating.centre_id, year=rating.year, stars=rating.stars))
        if len(batch) >= 2000:
            OvopCoaching.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    if batch:
        OvopCoaching.objects.bulk_create(batch, ignore_conflicts=True)


def coaching_to_ratings(apps, schema_editor):
    OvopRating = apps.get_model("programs", "OvopRating")
    OvopCoaching = apps.get_model("programs", "OvopCoaching")
    # A coaching without a reported level had no rating: it cannot go back.
    OvopRating.objects.bulk_create(
        [OvopRating(centre_id=c.sentra_id, year=c.year, stars=c.stars)
         for c in OvopCoaching.objects.filter(stars__isnull=False).order_by("pk")],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0010_sentra_directory_and_ovop_awards"),
    ]

    operations = [
        migrations.RunPython(ratings_to_coaching, coaching_to_ratings),
    ]
