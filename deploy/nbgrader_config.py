# nbgrader in the course image: release and collect go through an exchange folder that every learner's
# server mounts (deploy/z2jh/values.yaml mounts a shared volume at this path). The course id is the one
# ./lab course writes into the instructor's course folder.
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)
c.Exchange.root = "/srv/nbgrader/exchange"
c.CourseDirectory.course_id = "rnnlab"
