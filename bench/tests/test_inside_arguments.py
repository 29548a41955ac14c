"""The benchmark passes its run's random password to ``bench.inside`` and ``bench.cluster_inside``
on the command line."""

from bench.cluster_inside import parse as cluster_parse
from bench.harness import password_option
from bench.inside import parse


def test_a_password_starting_with_a_dash_reaches_the_seeder_whole():
    # secrets.token_urlsafe draws from A-Z, a-z, 0-9, "-" and "_", so one run in 64 starts with "-".
    args = parse(["seed", "500", password_option("-Zq3_x-leading-dash"), "--force"])

    assert args.password == "-Zq3_x-leading-dash"
    assert args.path_or_number == "500"
    assert args.force is True


def test_a_plan_gets_the_password_as_given():
    args = parse(["plan", "/tmp/plan.json", password_option("plain_password")])

    assert (args.command, args.path_or_number, args.password) == ("plan", "/tmp/plan.json", "plain_password")


def test_the_cluster_proofs_user_gets_a_password_starting_with_a_dash_whole():
    args = cluster_parse(["user", "cluster-proof-anna", password_option("-tAK0zsoQMq-r9E-H3n673kY")])

    assert (args.command, args.arguments, args.password) == (
        "user",
        ["cluster-proof-anna"],
        "-tAK0zsoQMq-r9E-H3n673kY",
    )
