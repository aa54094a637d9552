from hubdeck.cli import main

main()
