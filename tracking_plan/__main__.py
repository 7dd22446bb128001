from tracking_plan.cli import main

main()
