package dev.bundler.testkit;

import static dev.bundler.testkit.WheelBuilder.wheel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A small real Django application, {@code siteapp}, as an operator's tests need one: its settings
 * read the glob in {@code SITEAPP_CONFIG} with configparser in sorted order, later files winning
 * (the getconf convention), and report what they read through a view, management commands and a
 * script. Its crontab is in the seed's {@code /etc/cron.d} format. Django 3.2.25 and its
 * dependencies are built by pip from the shared corpus.
 */
public final class DjangoSite {
  /** The crontab the seed's packages would ship, with the user column and the seed's wrapper. */
  public static final String SEED_CRONTAB = String.join("\n",
      "# m h dom mon dow user command",
      "MAILTO=\"\"",
      "* * * * * www-data /usr/share/bluesys-cronwrapper/bin/cronwrapper.sh --all greet from-cron",
      "* * * * * www-data /usr/share/bluesys-cronwrapper/bin/cronwrapper.sh --master "
          + "--environment elsewhere fleet never-here",
      "* * * * * www-data /usr/share/bluesys-cronwrapper/bin/cronwrapper.sh --all "
          + "--environment prod --fleet blue fleet from-settings",
      "* * * * * www-data /usr/share/bluesys-cronwrapper/bin/cronwrapper.sh --all fail",
      "");

  private DjangoSite() {}

  /** Writes the wheelhouse of {@code siteapp==1.0} (with Django) into {@code directory}. */
  public static Path wheelhouse(Path directory) throws IOException, InterruptedException {
    Files.createDirectories(directory);
    Tools.check(List.of("/usr/bin/python3", "-m", "pip", "wheel", "-q", "--no-index",
        "--find-links", corpus().toString(), "--wheel-dir", directory.toString(),
        "Django==3.2.25"));
    wheel("siteapp", "1.0").requires("Django==3.2.25")
        .file("siteapp/__init__.py", "")
        .file("siteapp/settings.py", String.join("\n",
            "import configparser, glob, os",
            "FILES = sorted(glob.glob(os.environ['SITEAPP_CONFIG']))",
            "_config = configparser.ConfigParser(interpolation=None)",
            "_config.read(FILES)",
            "SECRET_KEY = 'bundler-test-only'",
            "DEBUG = False",
            "ALLOWED_HOSTS = ['*']",
            "INSTALLED_APPS = ['siteapp']",
            "MIDDLEWARE = []",
            "ROOT_URLCONF = 'siteapp.urls'",
            "DATABASES = {}",
            "USE_TZ = True",
            "NAME = _config.get('app', 'name', fallback='')",
            "SERVICE = _config.get('app', 'service', fallback='')",
            "GREETING = _config.get('site', 'greeting', fallback='unset')",
            "COLOR = _config.get('site', 'color', fallback='unset')",
            "ENVIRONMENT = _config.get('app', 'environment', fallback='')",
            "FLEET_ID = _config.get('app', 'fleet', fallback='')",
            ""))
        .file("siteapp/report.py", String.join("\n",
            "import os",
            "def report():",
            "    from django.conf import settings",
            "    return 'name=%s greeting=%s color=%s service=%s files=%s' % (settings.NAME,",
            "        settings.GREETING, settings.COLOR, settings.SERVICE,",
            "        ','.join(os.path.basename(f) for f in settings.FILES))",
            ""))
        .file("siteapp/urls.py", String.join("\n",
            "import os, time",
            "from django.http import HttpResponse",
            "from django.urls import path",
            "from siteapp.report import report",
            "def index(request):",
            "    return HttpResponse('site %s uwsgi-service=%s' % (report(),",
            "        os.environ.get('SITEAPP_SERVICE', '')))",
            "def slow(request):",
            "    time.sleep(3)",
            "    return HttpResponse('slow request done')",
            "urlpatterns = [path('', index), path('slow/', slow)]",
            ""))
        .file("siteapp/wsgi.py", String.join("\n",
            "from django.core.wsgi import get_wsgi_application",
            "application = get_wsgi_application()",
            ""))
        .file("siteapp/management/__init__.py", "")
        .file("siteapp/management/commands/__init__.py", "")
        .file("siteapp/management/commands/greet.py", String.join("\n",
            "from django.core.management.base import BaseCommand",
            "from siteapp.report import report",
            "class Command(BaseCommand):",
            "    def add_arguments(self, parser):",
            "        parser.add_argument('words', nargs='*')",
            "    def handle(self, *args, **options):",
            "        self.stdout.write('greet %s: %s' % (' '.join(options['words']), report()))",
            ""))
        .file("siteapp/management/commands/fleet.py", String.join("\n",
            "from django.core.management.base import BaseCommand",
            "from django.conf import settings",
            "from siteapp.report import report",
            "class Command(BaseCommand):",
            "    def add_arguments(self, parser):",
            "        parser.add_argument('words', nargs='*')",
            "    def handle(self, *args, **options):",
            "        self.stdout.write('fleet %s of %s/%s: %s' % (' '.join(options['words']),",
            "            settings.ENVIRONMENT, settings.FLEET_ID, report()))",
            ""))
        .file("siteapp/management/commands/snooze.py", String.join("\n",
            "import os, subprocess, time",
            "from django.core.management.base import BaseCommand",
            "class Command(BaseCommand):",
            "    def add_arguments(self, parser):",
            "        parser.add_argument('seconds', type=int)",
            "    def handle(self, *args, **options):",
            "        helper = subprocess.Popen(['sleep', str(options['seconds'])])",
            "        with open(os.path.expanduser('~/logs/snooze.log'), 'a') as log:",
            "            log.write('snooze %d helper %d\\n' % (os.getpid(), helper.pid))",
            "        time.sleep(options['seconds'])",
            ""))
        .file("siteapp/management/commands/fail.py", String.join("\n",
            "from django.core.management.base import BaseCommand, CommandError",
            "class Command(BaseCommand):",
            "    def handle(self, *args, **options):",
            "        self.stdout.write('about to break')",
            "        raise CommandError('it broke')",
            ""))
        .file("siteapp/crontab", SEED_CRONTAB)
        .writeTo(directory);
    return directory;
  }

  /** The shared offline Python corpus, located by the build ({@code -Dbundler.corpus}). */
  public static Path corpus() {
    String configured = System.getProperty("bundler.corpus");
    Path directory = configured != null ? Path.of(configured)
        : Path.of("..", "..", "shared", "python-corpus");
    if (!Files.isDirectory(directory)) {
      throw new AssertionError("The Python corpus is not at " + directory.toAbsolutePath()
          + ": check out the shared folder next to the repository, or pass -Dbundler.corpus=DIR");
    }
    return directory.toAbsolutePath().normalize();
  }
}
