from stenosis_coach.cli import main

main()
