/**
 * Passwords people pick most often (the head of the public breach-frequency lists, plus Thai
 * favourites typed on an English keyboard and the names of this product), lower-case. The
 * policy refuses a password whose letters, with digits and symbols taken away, are one of
 * these, so "Password123!" is refused as well as "password".
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `password passw0rd passwd pass qwerty qwertyuiop asdf asdfgh asdfghjkl zxcvbnm qazwsx qwe abc abcd abcdef
  abcdefg abcdefgh iloveyou admin administrator root letmein welcome monkey dragon football baseball
  soccer master shadow sunshine princess superman batman trustno michael jennifer jordan hunter
  ranger buster thomas tigger robert daniel charlie andrew michelle jessica ashley hello login
  starwars freedom whatever computer internet secret changeme default guest test tester user
  samsung apple google facebook killer pokemon naruto lovely loveyou babygirl angel summer winter
  spring autumn flower cookie cheese chocolate banana orange purple yellow silver golden diamond
  qwer zaq zaqxsw mustang ferrari porsche mercedes corvette harley matrix hockey tennis
  thailand bangkok chiangmai phuket sawasdee sawadee khob khun kapook sanook mahidol chula
  care carefield probation prison court justice officer volunteer supervisor
  คุมประพฤติ รหัสผ่าน`
    .split(/\s+/)
    .filter(Boolean)
);
