"""Packaging for vdwnb (nbdev 2 layout): every setting is read from settings.ini."""
import shlex
from configparser import ConfigParser
from pathlib import Path

import setuptools
from setuptools.command.build_py import build_py


class build_py_with_samples(build_py):
    "Build the package with the checkout's data_samples/ inside it as vdwnb/samples (see vdwnb.examples.samples_folder)."
    def run(self):
        super().run()
        src, dest = Path(__file__).parent / 'data_samples', Path(self.build_lib) / cfg['lib_path'] / 'samples'
        dest.mkdir(parents=True, exist_ok=True)
        for f in sorted(src.iterdir()):
            if f.suffix in ('.png', '.csv', '.md'): self.copy_file(str(f), str(dest / f.name))

cfg = ConfigParser(delimiters=['='])
cfg.read(Path(__file__).parent/'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']

licenses = {'apache2': 'Apache-2.0'}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable']
min_python = cfg['min_python']
requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
console_scripts = [s for s in cfg.get('console_scripts', '').split() if s]
long_description = (Path(__file__).parent/'README.md').read_text(encoding='utf-8')

setuptools.setup(
    name=cfg['lib_name'],
    version=cfg['version'],
    description=cfg['description'],
    long_description=long_description,
    long_description_content_type='text/markdown',
    license=licenses[cfg['license']],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'],
                 'Natural Language :: ' + cfg['language'],
                 'Programming Language :: Python :: 3.11',
                 'Programming Language :: Python :: 3.12'],
    url=cfg['git_url'],
    author=cfg['author'],
    author_email=cfg['author_email'],
    keywords=cfg['keywords'],
    packages=setuptools.find_packages(include=['vdwnb', 'vdwnb.*']),
    include_package_data=True,
    package_data={'vdwnb': ['weights/*']},
    install_requires=requirements,
    extras_require={'dev': dev_requirements},
    python_requires='>=' + min_python,
    zip_safe=False,
    cmdclass={'build_py': build_py_with_samples},
    entry_points={'console_scripts': console_scripts, 'nbdev': [f"{cfg['lib_path']}={cfg['lib_path']}._modidx:d"]},
)
