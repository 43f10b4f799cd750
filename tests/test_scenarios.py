"""Realistic teams, each with the first places an experienced AWS architect would accept.

Each scenario was written from AWS's documentation and the fact sheet before the advisor
was run on it: the profile a team would fill in, the services an architect would accept in
first place, the services that must be ruled out by a hard limit, and one line of why. These
run on the real knowledge base: they are where the AWS facts meet the model.
"""
import pytest

from advisor import rank
from schemas.profile import profile_schema

ALL = ["ec2", "ecs", "fargate", "lambda", "eks", "eks_fargate", "ecs_managed_instances", "lambda_managed_instances"]
DEFAULT = ["ec2", "ecs", "fargate", "lambda"]
SERVERLESS_LIMITED = {"lambda", "lambda_managed_instances"}


def team(hours, staff, customisation="low", isolation="standard", services=ALL, **extra):
    return {"security_hours_per_month": hours, "patching_staff": staff, "customisation": customisation,
            "isolation": isolation, "services": list(services), **extra}


SCENARIOS = [
    dict(name="startup API", first={"lambda", "fargate"}, ruled_out=set(), warning="no_fit",
         profile=team(20, 0, workload={"max_duration_minutes": 1, "memory_gb": 0.5, "vcpu": 1, "invocation": "sync"}),
         why="a small team with no patchers wants the least it can own; even Lambda asks more hours than it has"),
    dict(name="bank needing single-tenant hardware", first={"ecs", "ec2", "eks"},
         ruled_out={"fargate", "lambda", "eks_fargate", "ecs_managed_instances", "lambda_managed_instances"},
         profile=team(120, 2, "medium", "dedicated", workload={"always_on": True}),
         why="only EC2-based options run on Dedicated Instances or Hosts; ECS on EC2 leaves the least of them to the team"),
    dict(name="GPU inference server", first={"ecs_managed_instances", "ecs"},
         ruled_out={"fargate", "lambda", "eks_fargate", "lambda_managed_instances"},
         profile=team(60, 1, workload={"gpu": True, "always_on": True, "memory_gb": 16, "vcpu": 4}),
         why="no GPU on Fargate or Lambda; ECS Managed Instances give GPUs with AWS patching the hosts"),
    dict(name="GPU inference server, the four default services", first={"ecs"}, ruled_out={"fargate", "lambda"},
         profile=team(60, 1, services=DEFAULT, workload={"gpu": True, "always_on": True, "memory_gb": 16}),
         why="of the four, only EC2-based services offer GPUs, and ECS takes the orchestration off the team"),
    dict(name="nightly ETL of two hours", first={"fargate"}, ruled_out=SERVERLESS_LIMITED,
         profile=team(40, 0, workload={"max_duration_minutes": 120, "memory_gb": 8, "vcpu": 2, "invocation": "async"}),
         why="too long for Lambda (15 minutes) and Lambda Managed Instances (90); Fargate runs it with nothing to patch"),
    dict(name="Windows .NET application", first={"fargate"},
         ruled_out={"lambda", "lambda_managed_instances", "eks_fargate", "ecs_managed_instances"},
         profile=team(40, 0, workload={"os": "windows", "always_on": True, "vcpu": 2, "memory_gb": 8}),
         why="Fargate runs Windows tasks and patches them; Lambda and EKS on Fargate are Linux only"),
    dict(name="Windows application on a hardened custom AMI", first={"ecs"},
         ruled_out={"lambda", "lambda_managed_instances", "eks_fargate", "ecs_managed_instances"},
         profile=team(80, 1, "medium", workload={"os": "windows", "always_on": True}),
         why="a custom AMI needs EC2 instances; ECS rolls out AWS's patched Windows AMIs and runs the orchestrator"),
    dict(name="Arm (Graviton) web service", first={"fargate"},
         ruled_out={"lambda", "lambda_managed_instances", "eks_fargate"},
         profile=team(40, 0, workload={"arch": "arm64", "always_on": True, "memory_gb": 2}),
         why="an always-on process rules out Lambda; EKS on Fargate has no Arm; Fargate runs arm64 tasks"),
    dict(name="video transcoder", first={"fargate"}, ruled_out={"lambda"},
         profile=team(40, 0, services=DEFAULT, workload={"max_duration_minutes": 45, "memory_gb": 16, "vcpu": 8,
                                                         "ephemeral_storage_gb": 50, "invocation": "async"}),
         why="45-minute jobs with 8 vCPU and 50 GB of scratch space exceed Lambda; Fargate fits them"),
    dict(name="websocket service", first={"fargate"}, ruled_out=SERVERLESS_LIMITED, warning="no_fit",
         profile=team(25, 0, workload={"always_on": True, "memory_gb": 1}),
         why="long-lived connections need an always-on process; Fargate is the lightest host for one"),
    dict(name="multi-tenant SaaS API needing strong isolation", first={"lambda", "fargate"}, ruled_out=set(),
         profile=team(40, 0, isolation="strong", workload={"max_duration_minutes": 1, "invocation": "sync"}),
         why="Firecracker microVMs and Fargate's VM per task keep tenants off a shared kernel without extra work"),
    dict(name="privileged security agent", first={"ecs", "ec2", "eks"},
         ruled_out={"fargate", "lambda", "eks_fargate", "lambda_managed_instances"},
         profile=team(60, 1, "medium", workload={"privileged": True, "always_on": True}),
         why="privileged containers need EC2 instances the team controls; Fargate and Lambda refuse them"),
    dict(name="legacy Windows application needing host access", first={"ec2"}, ruled_out={"ecs", "fargate", "lambda"},
         profile=team(120, 2, "medium", services=DEFAULT,
                      workload={"os": "windows", "privileged": True, "always_on": True, "on_ec2": "application"}),
         why="Windows containers get no privileged mode on ECS or Fargate, and Lambda runs Linux only; installed "
             "directly on its own instances, the application has the host access the team grants it"),
    dict(name="EKS shop with DaemonSets", first={"eks"}, ruled_out={"eks_fargate"},
         profile=team(80, 1, "medium", services=["eks", "eks_fargate", "ec2"],
                      workload={"daemonsets": True, "on_ec2": "kubernetes", "always_on": True}),
         why="EKS on Fargate runs no DaemonSets; managed node groups spare the team the control plane of its own cluster"),
    dict(name="Security agent on every host, default services", first={"ecs"}, ruled_out={"fargate", "lambda"},
         profile=team(60, 1, "low", services=["ec2", "ecs", "fargate", "lambda"],
                      workload={"daemonsets": True, "always_on": True}),
         why="Fargate tasks take no daemon scheduling and Lambda runs agents only as extensions in each function; "
             "ECS on EC2 runs one daemon task per instance and takes the orchestration off the team"),
    dict(name="Security agent on every host, every service", first={"ecs_managed_instances"},
         ruled_out={"fargate", "lambda", "eks_fargate", "lambda_managed_instances"},
         profile=team(60, 1, "low", workload={"daemonsets": True, "always_on": True}),
         why="of the hosts that take an agent each, ECS Managed Instances leave the team least: AWS patches them"),
    dict(name="HPC jobs on tuned instances", first={"ec2"},
         ruled_out={"fargate", "lambda", "eks_fargate", "lambda_managed_instances"},
         profile=team(100, 2, "high", workload={"vcpu": 64, "memory_gb": 256, "max_duration_minutes": 240}),
         why="kernel tuning and a free choice of instance family need EC2; the job is too big for Fargate and Lambda"),
    dict(name="regulated team with strong isolation and hardened images", first={"ec2", "ecs"}, ruled_out=SERVERLESS_LIMITED,
         profile=team(150, 3, "medium", "strong", workload={"always_on": True}),
         why="custom images need instances; EC2 gives a VM per workload outright, ECS only with one task per instance"),
    dict(name="small team that needs kernel modules", first={"ec2"}, ruled_out=SERVERLESS_LIMITED, warning="no_fit",
         profile=team(20, 0, "high", workload={"always_on": True}),
         why="only EC2 gives kernel control, and the answer must say the team cannot carry it"),
    dict(name="event-driven thumbnailer", first={"lambda"}, ruled_out=set(),
         profile=team(35, 0, workload={"max_duration_minutes": 1, "memory_gb": 1, "invocation": "async"}),
         why="short event-driven work is what Lambda takes almost all platform work off the team for"),
    dict(name="30-minute queue worker", first={"lambda_managed_instances", "fargate"}, ruled_out={"lambda"},
         profile=team(40, 0, workload={"max_duration_minutes": 30, "memory_gb": 4, "invocation": "async"}),
         why="too long for Lambda; Lambda Managed Instances take asynchronous runs up to 90 minutes, Fargate any length"),
    dict(name="ML function shipped as a container image", first={"lambda", "fargate"}, ruled_out=set(),
         profile=team(40, 0, services=DEFAULT, workload={"lambda_package": "image", "max_duration_minutes": 3,
                                                         "memory_gb": 10, "invocation": "sync"}),
         why="as an image, Lambda leaves the runtime and base image to the team, much as Fargate does"),
    dict(name="ECS team with a platform team running the hosts", first={"ecs"}, ruled_out=SERVERLESS_LIMITED,
         profile=team(45, 0, "medium", overlay="platform_team", workload={"always_on": True}),
         why="with the platform team patching and scaling the container instances, ECS on EC2 fits the team's hours"),
    dict(name="ECS-minded team without a platform team", first={"ecs"}, ruled_out=SERVERLESS_LIMITED, warning="first_over_capacity",
         profile=team(45, 0, "medium", workload={"always_on": True}),
         why="ECS on EC2 is the lightest option with custom images, but the team has no one to roll out AMIs"),
    dict(name="legacy application run directly on instances", first={"ecs", "ec2"}, ruled_out=set(),
         profile=team(62, 1, "medium", services=["ec2", "ecs"], workload={"on_ec2": "application", "always_on": True}),
         why="without containers the team owns no runtime or orchestrator on EC2, so both fit its hours"),
    dict(name="GPU batch job of two hours", first={"ecs_managed_instances", "ecs"},
         ruled_out={"fargate", "lambda", "eks_fargate", "lambda_managed_instances"},
         profile=team(40, 0, workload={"gpu": True, "max_duration_minutes": 120, "invocation": "async"}),
         why="too long for Lambda Managed Instances, no GPU on Fargate; ECS Managed Instances patch the GPU hosts"),
    dict(name="short GPU inference function as a container image",
         first={"ecs_managed_instances", "lambda_managed_instances"},
         ruled_out={"fargate", "lambda", "eks_fargate"},
         profile=team(45, 0, workload={"gpu": True, "max_duration_minutes": 10, "invocation": "async",
                                       "lambda_package": "image", "arch": "x86_64"}),
         why="GPUs come with ECS Managed Instances or with Lambda Managed Instances for x86 container images"),
    dict(name="tiny internal tool", first={"lambda"}, ruled_out=set(), warning="no_fit",
         profile=team(5, 0, "none", workload={"max_duration_minutes": 1, "invocation": "sync"}),
         why="the application's own work alone exceeds five hours; Lambda leaves least beyond it"),
    dict(name="Kubernetes team wanting pods in their own VMs", first={"eks_fargate"}, ruled_out=set(),
         profile=team(50, 0, isolation="strong", services=["eks", "eks_fargate"], workload={"always_on": True}),
         why="EKS on Fargate gives each pod its own VM and patches it; node groups need extra work for the same"),
    dict(name="well-staffed team with simple needs", first={"lambda", "fargate"}, ruled_out=set(),
         profile=team(200, 3, workload={"max_duration_minutes": 5, "invocation": "sync"}),
         why="spare capacity is no reason to take on platform work the application does not need"),
    dict(name="containers needing 17 vCPU per task", first={"ecs"}, ruled_out={"fargate", "lambda"},
         profile=team(60, 1, services=DEFAULT, workload={"vcpu": 17, "always_on": True}),
         why="past Fargate's 16-vCPU task size; ECS on EC2 runs tasks as large as the instance"),
    dict(name="containers needing 256 vCPU", first={"ecs", "ec2"}, ruled_out={"fargate", "lambda"},
         profile=team(80, 2, "medium", services=DEFAULT, workload={"vcpu": 256, "always_on": True}),
         why="the 192-vCPU figure bounds only the optional task-level cpu setting, so ECS on EC2 stays eligible"),
    dict(name="in-memory database of 500 GB in containers", first={"ecs", "ec2"}, ruled_out={"fargate", "lambda"},
         profile=team(80, 1, "medium", services=DEFAULT, workload={"memory_gb": 500, "always_on": True}),
         why="past Fargate's 120 GB; an instance-backed service holds it"),
    dict(name="Windows tasks of 8 vCPU", first={"ecs"}, ruled_out={"fargate", "lambda"},
         profile=team(60, 1, services=DEFAULT, workload={"os": "windows", "vcpu": 8, "always_on": True}),
         why="Fargate runs Windows tasks of at most 4 vCPU"),
    dict(name="Windows tasks of 32 GB", first={"ecs"}, ruled_out={"fargate", "lambda"},
         profile=team(60, 1, services=DEFAULT, workload={"os": "windows", "vcpu": 4, "memory_gb": 32,
                                                         "always_on": True}),
         why="Fargate runs Windows tasks of at most 30 GB"),
    dict(name="compute-heavy function needing 8 vCPU", first={"fargate"}, ruled_out={"lambda"},
         profile=team(40, 0, services=DEFAULT, workload={"vcpu": 8, "max_duration_minutes": 5, "memory_gb": 10}),
         why="Lambda gives at most 6 vCPU, even at 10,240 MB"),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["name"] for s in SCENARIOS])
def test_the_advisor_agrees_with_the_architect(kb, scenario):
    result = rank(kb, profile_schema.load(scenario["profile"]))
    first = result.ranking[0]
    assert first.eligible, scenario["why"]
    assert first.service in scenario["first"], f"{first.service} first; {scenario['why']}"
    ruled_out = {r.service for r in result.ranking if not r.eligible}
    assert ruled_out == scenario["ruled_out"], scenario["why"]
    codes = {w["code"] for w in result.warnings}
    if "warning" in scenario:
        assert scenario["warning"] in codes, scenario["why"]
    else:
        assert not codes, f"unexpected warnings {codes}; {scenario['why']}"


def test_there_are_at_least_25_scenarios():
    assert len(SCENARIOS) >= 25


@pytest.mark.parametrize("hours", [5, 10, 15, 20, 30, 40, 46, 60, 100, 200])
def test_a_windows_team_needing_custom_images_gets_ecs_at_any_capacity(kb, hours):
    """The same team at every capacity gets the same first place: fewer hours never change the service."""
    profile = profile_schema.load(team(hours, 1, "medium", workload={"os": "windows", "always_on": True}))
    assert rank(kb, profile, with_robustness=False).ranking[0].service == "ecs"


def test_plain_container_jobs_go_to_ecs_on_fargate_rather_than_eks_on_fargate(kb):
    """Kubernetes version and access work is the team's on EKS, so the two Fargate options no longer tie."""
    profile = profile_schema.load(team(60, 0, services=["eks_fargate", "fargate"], workload={"always_on": True}))
    ranking = rank(kb, profile, with_robustness=False).ranking
    assert [r.service for r in ranking] == ["fargate", "eks_fargate"]
    assert ranking[0].burden_hours_per_month < ranking[1].burden_hours_per_month


@pytest.mark.parametrize("services", [DEFAULT, ALL], ids=["default services", "every service"])
def test_a_windows_service_meant_for_graviton_is_told_nothing_fits_and_what_would(kb, services):
    """Reasoned before the advisor was run: no AWS compute runs Windows on Arm. Graviton instances take no Windows
    (EC2, EKS nodes), ECS and Fargate run Arm tasks on Linux only, and Lambda, EKS on Fargate and the managed
    instance services run Linux only. So nothing fits, and the what-ifs name the two ways out, each with the
    service it would lead to: x86-64 processors, or Linux."""
    profile = team(80, 1, "medium", services=services, workload={"os": "windows", "arch": "arm64", "always_on": True})
    result = rank(kb, profile_schema.load(profile))
    assert not [r.service for r in result.ranking if r.eligible]
    assert {w["code"] for w in result.warnings} == {"none_eligible"}
    assert {(t.input, t.value) for t in result.robustness.thresholds} == {("workload.arch", "x86_64"),
                                                                          ("workload.os", "linux")}
    for threshold in result.robustness.thresholds:
        field = threshold.input.removeprefix("workload.")
        moved = rank(kb, profile_schema.load({**profile, "workload": {**profile["workload"], field: threshold.value}}))
        assert moved.ranking[0].eligible and moved.ranking[0].service == threshold.first
        assert threshold.sentence.endswith(f"{moved.ranking[0].name} would rank first.")
